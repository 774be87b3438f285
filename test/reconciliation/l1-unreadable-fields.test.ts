/**
 * L1, L4: a call only the call log has, with an optional field the adapter cannot read (`billsec: forty-two`), is
 * recovered and written without it, as a webhook would be: the field is counted in
 * callmatrix_webhook_fields_dropped_total{field} and warned of by name and problem, never by value, at most once a
 * minute. A later run that sees the call again counts nothing more. The Ringostat emulator over real HTTP, the real
 * Temporal server, the Zoho emulator.
 */
import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import { startRingostatEmulator, type RingostatEmulator } from '@callmatrix/ringostat-emulator';
import pino from 'pino';
import { createMetrics } from '../../observability/metrics';
import { reconciliationScheduleId, workflowTypes, type ReconciliationReport } from '../../temporal/contracts';
import { ringostatAdapter } from '../../telephony/ringostat';
import { startCallHarness, type CallHarness } from '../support/call-harness';
import { incomingCall, ringostatTime } from '../scenarios/scenario-kit';

const KEY = 'unreadable-fields-test-key';
const UNREADABLE = 'forty-two';
const lines: Record<string, unknown>[] = [];
const memory = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});
const metrics = createMetrics({ defaultMetrics: false });

let ringostat: RingostatEmulator;
let h: CallHarness;
beforeAll(async () => {
  ringostat = await startRingostatEmulator({ apiKey: KEY });
  const callLog = ringostatAdapter.openCallLog!({ apiUrl: ringostat.url, apiKey: KEY, retryDelayMs: 10 });
  h = await startCallHarness({ callLog, observe: { metrics, logger: pino({ level: 'info' }, memory) } });
});
afterAll(async () => {
  await h?.temporal.schedule.getHandle(reconciliationScheduleId(h.taskQueue)).delete().catch(() => undefined);
  await h?.stop();
  await ringostat?.close();
});

const reconcileNow = (): Promise<ReconciliationReport> =>
  h.temporal.workflow.execute(workflowTypes.reconciliation, { taskQueue: h.taskQueue, workflowId: `test-reconciliation-${crypto.randomUUID()}` });

async function droppedCount(field: string): Promise<number> {
  const counter = await metrics.registry.getSingleMetric('callmatrix_webhook_fields_dropped_total')!.get();
  return counter.values.find((value) => value.labels.field === field)?.value ?? 0;
}

it('L1, L4: calls only the log has, with an unreadable billsec, are written without it; the field is counted for each and warned of once, without its value', async () => {
  const calls = [0, 1].map(() => {
    const callId = h.uniqueCallId();
    const caller = `+38067${crypto.randomInt(1_000_000, 9_999_999)}`;
    return { callId, caller, parameters: incomingCall(callId, { caller, billsec: UNREADABLE, calldate: ringostatTime(new Date(Date.now() - 10 * 60_000)) }) };
  });
  ringostat.addCalls(calls.map(({ parameters }) => ({ ...parameters, uniqueid: parameters.uniqueid, calldate: parameters.calldate })));

  expect(await reconcileNow()).toMatchObject({ recovered: 2, failed: 0 });
  for (const { callId, caller } of calls) {
    // Answered (the disposition says so), for the manager who answered: a new client's lead and task (M1, M2).
    expect(await h.result(callId)).toMatchObject({ status: 'written', plan: { rule: 'M1' } });
    expect((await h.records('Leads')).filter((lead) => lead.Phone === caller)).toHaveLength(1);
  }
  expect(await droppedCount('billsec')).toBe(2);
  const warnings = lines.filter((line) => line.field === 'billsec');
  expect(warnings).toEqual([
    expect.objectContaining({
      level: 40,
      msg: 'call recovered from the call log without its unreadable billsec',
      provider: 'ringostat',
      callId: expect.stringMatching(new RegExp(`^(${calls.map((c) => c.callId).join('|')})$`)),
      problem: 'expected a number of seconds (42) or h:mm:ss',
    }),
  ]);
  // Neither the value nor the caller's number is in the log.
  for (const text of [UNREADABLE, ...calls.map((c) => c.caller.slice(1))]) expect(JSON.stringify(lines)).not.toContain(text);

  // The next, overlapping run sees both again and starts nothing: nothing more is counted.
  expect(await reconcileNow()).toMatchObject({ recovered: 0, alreadyWritten: 2, failed: 0 });
  expect(await droppedCount('billsec')).toBe(2);
});
