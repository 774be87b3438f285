/**
 * Issue 14 (inputs): `callmatrix calls` prints call ids that came from the telephony. Control characters in them
 * (a terminal escape that retitles the window or clears the screen, a line break that forges a table row) are shown
 * escaped, in the table and in JSON lines, which still parse back to the original value.
 */
import { formatCallDetailsJson, type CallDetails } from '../../cli/call-details';
import { formatCalls } from '../../cli/calls-command';
import type { CallRow } from '../../temporal/list-calls';
import type { CallEvent } from '../../common/call-event';
import { terminalText } from '../../cli/terminal-text';

// eslint-disable-next-line no-control-regex -- finding raw control characters is the test
const RAW_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('terminal output of outside text', () => {
  const hostile = '123\u001b]0;pwned\u0007\u001b[2J\nFAKE ROW\u009b31m\u202etxt.exe';
  const row: CallRow = { workflowId: `call:ringostat:${hostile}`, callId: hostile, startedAt: '2026-11-29T10:00:00.000Z', status: 'completed', rule: 'M1', scenario: 'answered-new-client', outcome: 'written' };

  it('escapes control characters of call ids in the calls table', () => {
    const table = formatCalls([row]);
    expect(table).not.toMatch(RAW_CONTROLS);
    expect(table.trimEnd().split('\n')).toHaveLength(2); // the header and one row: no forged line
    expect(table).toContain('123\\u001b]0;pwned\\u0007\\u001b[2J\\u000aFAKE ROW\\u009b31m\\u202etxt.exe');
  });

  it('escapes them in JSON lines too, which still parse to the original value', () => {
    const lines = formatCalls([row], true);
    expect(lines).not.toMatch(RAW_CONTROLS);
    expect(lines.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(lines)).toEqual(row);
  });

  it('escapes them in `calls show --json`, whose JSON still parses to the original details', () => {
    // What JSON.stringify leaves raw: C1 controls (CSI), line and paragraph separators, bidi overrides and isolates.
    const fromWebhook = 'Ivan\u009b2J\u0085\u2028\u2029\u202etxt.exe\u2066';
    const details: CallDetails = {
      workflowId: `call:ringostat:${hostile}`,
      runId: 'run-1',
      execution: 'COMPLETED',
      startedAt: '2026-11-29T10:00:00.000Z',
      events: [{ callId: hostile, clientNumber: '+380671234567', employee: { name: fromWebhook } } as unknown as CallEvent],
      written: [{ module: 'Leads', id: '1', created: true, operation: fromWebhook }],
      retrying: [],
      failure: fromWebhook,
    };
    const json = formatCallDetailsJson(details, { record: (module, id) => `https://crm.zoho.com/crm/tab/${module}/${id}` });
    expect(json).not.toMatch(RAW_CONTROLS);
    expect(json).not.toMatch(/[\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual({ ...details, written: [{ ...details.written[0], url: 'https://crm.zoho.com/crm/tab/Leads/1' }] });
  });

  it('keeps the line breaks of whole outputs and escapes every other control character', () => {
    expect(terminalText('name\tEvil\u001b[31m\nnext')).toBe('name\tEvil\\u001b[31m\nnext');
  });
});
