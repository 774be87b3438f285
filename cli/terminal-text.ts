/**
 * Text from outside (call ids and parameters from the telephony, names from Zoho) printed to an operator's
 * terminal: control characters could move the cursor, rewrite earlier lines, change the window title or hide
 * text, so they are shown escaped instead (`\u001b`), in a form that is also a valid escape inside JSON strings.
 * Bidirectional overrides, which reorder what the eye reads, are escaped too.
 */
// Matching control characters is the point here.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One value (a table cell, a JSON line): every control character escaped, line breaks and tabs included. */
export const terminalValue = (text: string): string => text.replace(CONTROLS, escape);

/** Whole output whose own line breaks and tabs are kept: every other control character escaped. */
export const terminalText = (text: string): string => text.replace(CONTROLS_BUT_LINES, escape);
