/**
 * L1, L4: a call only the call log has, with an optional field the adapter cannot read (`billsec: forty-two`), is
 * recovered and written without it, as a webhook would be: the field is counted in
 * callmatrix_webhook_fields_dropped_total{field, source="reconciliation"} and warned of by name and problem, never by value, at most once a
 * minute. A later run that sees the call again counts nothing more. `backfill` says how many calls it recovered
 * without which field, and the CRM's task says the talk time is unknown, not 0. The Ringostat emulator over real HTTP, the real
 * Temporal server, the Zoho emulator.
 */
import crypto from 'node:crypto';
import { createMetrics } from '../../observability/metrics';
import { capturingLogger } from '../activation/support';
import { reconcileNow, useCallLogHarness } from '../scenarios/call-log-kit';
import { incomingCall, ringostatTime, TIME_ZONE } from '../scenarios/scenario-kit';
import { formatSummary, runBackfill } from '../../cli/backfill-command';

const UNREADABLE = 'forty-two';
const metrics = createMetrics({ defaultMetrics: false });
const log = capturingLogger();
const { harness, logCall, callLog } = useCallLogHarness('unreadable-fields-test-key', { observe: { metrics, logger: log.logger } });

async function droppedCount(field: string): Promise<number> {
  const counter = await metrics.registry.getSingleMetric('callmatrix_webhook_fields_dropped_total')!.get();
  // [Operations] Told from the shim's by the source label.
  return counter.values.find((value) => value.labels.field === field && value.labels.source === 'reconciliation')?.value ?? 0;
}

it('L1, L4: calls only the log has, with an unreadable billsec, are written without it; the field is counted for each and warned of once, without its value', async () => {
  const h = harness();
  const calls = [0, 1].map(() => {
    const callId = h.uniqueCallId();
    const caller = `+38067${crypto.randomInt(1_000_000, 9_999_999)}`;
    return { callId, caller, parameters: incomingCall(callId, { caller, billsec: UNREADABLE, calldate: ringostatTime(new Date(Date.now() - 10 * 60_000)) }) };
  });
  for (const { parameters } of calls) logCall(parameters);

  expect(await reconcileNow(h)).toMatchObject({ recovered: 2, failed: 0 });
  for (const { callId, caller } of calls) {
    // Answered (the disposition says so), for the manager who answered: a new client's lead and task (M1, M2).
    expect(await h.result(callId)).toMatchObject({ status: 'written', plan: { rule: 'M1' } });
    expect((await h.records('Leads')).filter((lead) => lead.Phone === caller)).toHaveLength(1);
  }
  expect(await droppedCount('billsec')).toBe(2);
  const warnings = log.lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.field === 'billsec');
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
  for (const text of [UNREADABLE, ...calls.map((c) => c.caller.slice(1))]) expect(log.lines.join('\n')).not.toContain(text);

  // The next, overlapping run sees both again and starts nothing: nothing more is counted.
  expect(await reconcileNow(h)).toMatchObject({ recovered: 0, alreadyWritten: 2, failed: 0 });
  expect(await droppedCount('billsec')).toBe(2);
});

it('L1, D1: backfill says which unreadable fields the calls it recovers (or would) go without; the task says the talk time is unknown', async () => {
  const h = harness();
  const callId = h.uniqueCallId();
  const caller = `+38067${crypto.randomInt(1_000_000, 9_999_999)}`;
  const startedAt = new Date(Date.now() - 3 * 86_400_000);
  logCall(incomingCall(callId, { caller, billsec: UNREADABLE, duration: '150', calldate: ringostatTime(startedAt) }));
  const backfill = (dryRun: boolean) =>
    runBackfill({
      callLog: callLog(),
      timeZone: TIME_ZONE,
      temporal: h.temporal,
      taskQueue: h.taskQueue,
      window: { from: new Date(startedAt.getTime() - 60_000), to: new Date(startedAt.getTime() + 60_000) },
      dryRun,
      logger: log.logger,
      progress: { write: () => true },
    });

  const dry = await backfill(true);
  expect(dry).toMatchObject({ recovered: 1, droppedFields: { billsec: 1 } });
  expect(formatSummary(dry, true)).toContain('  left out, unreadable: billsec in 1 call (the calls would be recovered without them; check what the telephony sends)\n');
  const done = await backfill(false);
  expect(formatSummary(done, false)).toContain('  left out, unreadable: billsec in 1 call (the calls were recovered without them;');

  expect(await h.result(callId)).toMatchObject({ status: 'written', plan: { rule: 'M1' } });
  const [lead] = (await h.records('Leads')).filter((record) => record.Phone === caller);
  const [task] = (await h.records('Tasks')).filter((record) => (record.What_Id as { id?: string } | undefined)?.id === lead.id);
  expect(task.Description).toContain('talk unknown, total 2:30');
  expect(await backfill(false)).toMatchObject({ recovered: 0, alreadyWritten: 1, droppedFields: {} });
});
