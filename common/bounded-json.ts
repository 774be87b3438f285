/**
 * JSON from outside (webhook bodies, the JSON Ringostat nests in `additional_call_data`), parsed within limits.
 * Bad input is refused with the reason (L4) before it can cost much: the text is scanned once for nesting depth,
 * value count and lone UTF-16 surrogates (`"\ud800"`, which no UTF-8 text can carry and no CRM field stores),
 * then parsed, numbers kept as the text the sender wrote. Nothing here recurses, so no depth of nesting can
 * overflow the stack.
 */
import { jsonSyntaxErrorAt } from './json-syntax-error';

export interface JsonLimits {
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
  /** Most keys and array items, counted together. */
  maxValues: number;
}

/** A telephony's webhook is a flat map with one nested object: these leave room for any provider's shape. */
export const WEBHOOK_JSON_LIMITS: JsonLimits = { maxDepth: 16, maxValues: 2_000 };

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: string };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const LONE_SURROGATE_ERROR = 'contains a lone UTF-16 surrogate (such as \\ud800), which is not text';

/** Whether `text` holds half of a UTF-16 pair: not Unicode text, though JavaScript strings allow it. */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/** The first limit `text` breaks, or a `\u` escape of a lone surrogate; undefined when within limits. */
function scan(text: string, { maxDepth, maxValues }: JsonLimits): string | undefined {
  let depth = 0;
  let values = 0;
  let inString = false;
  let highEscape = false; // the previous token was a `\uD800`–`\uDBFF` escape, which needs a low half next
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (inString) {
      const escapedUnit = char === '\\' && text[i + 1] === 'u' ? Number.parseInt(text.slice(i + 2, i + 6), 16) : undefined;
      if (escapedUnit !== undefined && !Number.isNaN(escapedUnit)) {
        if (isLow(escapedUnit) !== highEscape) return LONE_SURROGATE_ERROR;
        highEscape = isHigh(escapedUnit);
        i += 5;
        continue;
      }
      if (highEscape) return LONE_SURROGATE_ERROR;
      if (char === '\\') i += 1;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      depth += 1;
      if (depth > maxDepth) return `nested deeper than ${maxDepth} levels`;
    } else if (char === '}' || char === ']') depth -= 1;
    else if (char === ':' || char === ',') {
      values += 1;
      if (values > maxValues) return `more than ${maxValues} keys and array items`;
    }
  }
  return highEscape ? LONE_SURROGATE_ERROR : undefined;
}

/**
 * `text` with every number written as a string of the sender's own characters. Webhook parameters are text, and a
 * number read as a double loses what was written: Ringostat's call id `1714567890.10` would become `1714567890.1`,
 * no longer the id its call log gives (L1), and a long numeric id would be rounded. `text` is valid JSON.
 */
function numbersAsText(text: string): string {
  const parts: string[] = [];
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '-' || (char >= '0' && char <= '9')) {
      let end = i + 1;
      while (end < text.length && /[\d.eE+-]/.test(text[end])) end += 1;
      parts.push(text.slice(from, i), `"${text.slice(i, end)}"`);
      from = end;
      i = end - 1;
    }
  }
  parts.push(text.slice(from));
  return parts.join('');
}

export function parseBoundedJson(text: string, limits: JsonLimits = WEBHOOK_JSON_LIMITS): JsonParse {
  if (hasLoneSurrogate(text)) return { ok: false, error: LONE_SURROGATE_ERROR };
  const problem = scan(text, limits);
  if (problem) return { ok: false, error: problem };
  try {
    JSON.parse(text);
  } catch {
    // Only the position: V8's message quotes the text, and with it the caller's data.
    return { ok: false, error: `malformed JSON at position ${jsonSyntaxErrorAt(text)}` };
  }
  return { ok: true, value: JSON.parse(numbersAsText(text)) as unknown };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A request body as JSON: UTF-8 that decodes, then `parseBoundedJson`. */
export function parseJsonBody(body: Buffer, limits: JsonLimits = WEBHOOK_JSON_LIMITS): JsonParse {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { ok: false, error: 'not valid UTF-8' };
  }
  return parseBoundedJson(text, limits);
}
