/**
 * L1, L4: a webhook whose call id is readable is accepted even when an optional field is not: the field is left
 * out, named in a throttled warning and counted by name (source `webhook`), and the call is written without it. Ringostat does not
 * re-send a refused webhook, so a 400 for a field the call can do without would lose the call. HTTP against the
 * real shim, the call workflow on the real Temporal server, records in the Zoho emulator.
 */
import { Writable } from 'node:stream';
import axios from 'axios';
import pino from 'pino';
import { createMetrics } from '../../observability/metrics';
import { startCallHarness, type CallHarness } from '../support/call-harness';
import { incomingCall } from '../scenarios/scenario-kit';

const lines: Record<string, unknown>[] = [];
const memory = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});
const metrics = createMetrics({ defaultMetrics: false });
let h: CallHarness;
beforeAll(async () => {
  h = await startCallHarness({ observe: { metrics, logger: pino({ level: 'info' }, memory) } });
});
afterAll(async () => h?.stop());
beforeEach(async () => h.admin.reset());

/** Dropped fields the shim counted, told from reconciliation's by the `source` label ([Operations]). */
async function droppedCount(field: string): Promise<number> {
  const { data } = await axios.get<string>(h.metricsUrl, { responseType: 'text' });
  const sample = new RegExp(`^callmatrix_webhook_fields_dropped_total\\{field="${field}",source="webhook"\\} (\\d+)$`, 'm').exec(data);
  return Number(sample?.[1] ?? 0);
}

/** Sends the end webhook, expects it accepted, and returns the lead, task and Calls record the call wrote (M1, M2, C1). */
async function writtenCall(parameters: Record<string, string>) {
  expect(await h.send('end', parameters)).toMatchObject({ status: 200, body: { ok: true } });
  expect(await h.result(parameters.uniqueid)).toMatchObject({ status: 'written', plan: { rule: 'M1' } });
  const [leads, tasks, calls] = await Promise.all([h.records('Leads'), h.records('Tasks'), h.records('Calls')]);
  expect([leads.length, tasks.length, calls.length]).toEqual([1, 1, 1]);
  return { lead: leads[0], task: tasks[0], call: calls[0] };
}

it.each([
  ['recordings/x.mp3'],
  ['//records.example.com/a.mp3'],
  // #14: a link a manager clicks is http(s) or nothing.
  ['javascript:alert(1)'],
])('L1, L4: a recording that is no absolute http(s) URL (%s) is left out, named and counted; the call is written', async (recording) => {
  const before = await droppedCount('recording');
  const callId = h.uniqueCallId();
  const { lead, task, call } = await writtenCall(incomingCall(callId, { recording }));
  expect(lead).toMatchObject({ Phone: '+380671234567', Owner: expect.objectContaining({ id: h.users.ivan.id }) });
  expect(task.Description).toContain('Recording: none');
  expect(JSON.stringify([task, call])).not.toContain(recording);
  expect(await droppedCount('recording')).toBe(before + 1);
});

it('L4: an unreadable field is warned of by name and problem, never by value, at most once a minute; each is counted', async () => {
  const first = h.uniqueCallId();
  await writtenCall(incomingCall(first, { duration: '-17' }));
  await h.admin.reset();
  await writtenCall(incomingCall(h.uniqueCallId(), { duration: '-17' }));
  const warnings = lines.filter((line) => line.field === 'duration');
  expect(warnings).toEqual([
    expect.objectContaining({ level: 40, msg: 'webhook accepted without its unreadable duration', callId: first, problem: 'expected a number of seconds (42) or h:mm:ss' }),
  ]);
  expect(JSON.stringify(warnings)).not.toContain('-17');
  expect(await droppedCount('duration')).toBe(2);
});

it('L1, L4: an unknown call_type is left out and the call written; billsec as 00:01:23 is read as 83 seconds', async () => {
  const before = await droppedCount('call_type');
  const callId = h.uniqueCallId();
  const { call } = await writtenCall(incomingCall(callId, { call_type: 'transfer', billsec: '00:01:23' }));
  expect(call).toMatchObject({ Call_Type: 'Inbound', Call_Duration: '1:23' });
  expect(await droppedCount('call_type')).toBe(before + 1);
  expect(await droppedCount('billsec')).toBe(0);
});

it('L4: an unreadable call id is still a 400 naming it, and the unreadable optional fields beside it', async () => {
  const answer = await h.send('end', incomingCall('a/b', { call_type: 'transfer' }));
  expect(answer).toMatchObject({ status: 400, body: { ok: false } });
  expect(answer.body.errors).toEqual([expect.stringMatching(/^uniqueid: only letters, digits/), expect.stringMatching(/^call_type: expected one of/)]);
});
