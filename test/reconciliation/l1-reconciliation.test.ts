/**
 * L1 end to end: Ringostat's call log (the Ringostat emulator, real HTTP), the real Temporal server and the Zoho
 * emulator. A call whose webhooks were all dropped is found by the scheduled reconciliation and written once; a
 * webhook arriving after that writes nothing more; a call received by webhook is left alone; backfill does the
 * same for a past range, and its dry run starts nothing. Assertions are on the CRM's records.
 */
import crypto from 'node:crypto';
import { startRingostatEmulator, type LoggedCall, type RingostatEmulator } from '@callmatrix/ringostat-emulator';
import pino from 'pino';
import { runBackfill, formatSummary } from '../../cli/backfill-command';
import { reconciliationScheduleId, searchAttributes, workflowTypes, type ReconciliationReport } from '../../temporal/contracts';
import { upsertReconciliationSchedule } from '../../temporal/reconciliation-schedule';
import { createMetrics } from '../../observability/metrics';
import { ringostatAdapter } from '../../telephony/ringostat';
import { demoSettings, startCallHarness, type CallHarness } from '../support/call-harness';
import { endOnly, incomingCall, missedCall, ringostatTime, TIME_ZONE } from '../scenarios/scenario-kit';

const KEY = 'reconciliation-test-key';
const MINUTE = 60_000;
const silent = pino({ level: 'silent' });
/** The worker's metrics: the scheduled run counts what it saw and recovered (#12 item 1). */
const metrics = createMetrics({ defaultMetrics: false });

let ringostat: RingostatEmulator;
let h: CallHarness;
beforeAll(async () => {
  ringostat = await startRingostatEmulator({ apiKey: KEY });
  const callLog = ringostatAdapter.openCallLog!({ apiUrl: ringostat.url, apiKey: KEY, retryDelayMs: 10 });
  h = await startCallHarness({ callLog, observe: { metrics, logger: silent }, reconciliationOnDemand: true });
});
afterAll(async () => {
  await h?.temporal.schedule.getHandle(reconciliationScheduleId(h.taskQueue)).delete().catch(() => undefined);
  await h?.stop();
  await ringostat?.close();
});

/** A new client's answered call, `minutesAgo` before now, under a number no other test uses. */
function loggedCall(minutesAgo: number) {
  const callId = h.uniqueCallId();
  const caller = `+38067${crypto.randomInt(1_000_000, 9_999_999)}`;
  const parameters: LoggedCall = { ...incomingCall(callId), uniqueid: callId, caller, calldate: ringostatTime(new Date(Date.now() - minutesAgo * MINUTE)) };
  return { callId, caller, parameters };
}

async function written(call: { callId: string; caller: string }) {
  const leads = (await h.records('Leads')).filter((lead) => lead.Phone === call.caller);
  const tasks = (await h.records('Tasks')).filter((task) => String(task.Description).includes(`${call.callId}.mp3`));
  return { leads: leads.length, tasks: tasks.length };
}

const recoveredBy = async (callId: string) =>
  (await h.temporal.workflow.getHandle(`call:ringostat:${callId}`).describe()).typedSearchAttributes.get(searchAttributes.recoveredBy);

/** Runs the reconciliation workflow once, as the Schedule does. */
const reconcileNow = (): Promise<ReconciliationReport> =>
  h.temporal.workflow.execute(workflowTypes.reconciliation, { taskQueue: h.taskQueue, workflowId: `test-reconciliation-${crypto.randomUUID()}` });

it('L1: the Schedule is created once and updated on every later worker start; without a key it is paused, saying why', async () => {
  const options = { taskQueue: h.taskQueue, settings: demoSettings(h.users).reconciliation, callLogConfigured: true, logger: silent };
  // The harness's worker start already created it, as every worker start does: start from none.
  await h.temporal.schedule.getHandle(reconciliationScheduleId(h.taskQueue)).delete();
  expect(await upsertReconciliationSchedule(h.temporal, options)).toBe('created');
  expect(await upsertReconciliationSchedule(h.temporal, options)).toBe('updated');
  const schedule = h.temporal.schedule.getHandle(reconciliationScheduleId(h.taskQueue));
  const running = await schedule.describe();
  expect(running.spec.intervals).toEqual([expect.objectContaining({ every: 5 * MINUTE })]);
  expect(running.state.paused).toBe(false);
  expect(running.action).toMatchObject({ type: 'startWorkflow', workflowType: workflowTypes.reconciliation, taskQueue: h.taskQueue });

  await upsertReconciliationSchedule(h.temporal, { ...options, callLogConfigured: false });
  const off = await schedule.describe();
  expect(off.state).toMatchObject({ paused: true, note: expect.stringContaining('RINGOSTAT_API_KEY') });
  await upsertReconciliationSchedule(h.temporal, options);
  await h.pauseScheduledReconciliation();
});

it('L1: a call whose webhooks were all dropped is written once by the scheduled run, marked recovered; a late webhook writes nothing more', async () => {
  const lost = loggedCall(10);
  ringostat.addCalls([lost.parameters]);
  const schedule = h.temporal.schedule.getHandle(reconciliationScheduleId(h.taskQueue));
  await schedule.trigger();
  let runId: string | undefined;
  while (!runId) {
    runId = (await schedule.describe()).info.recentActions.at(-1)?.action.workflow.workflowId;
    if (!runId) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const report: ReconciliationReport = await h.temporal.workflow.getHandle(runId).result();
  expect(report).toMatchObject({ recovered: 1, failed: 0 });
  const counted = await metrics.registry.getMetricsAsJSON();
  const total = (name: string) => counted.find((metric) => metric.name === name)?.values.reduce((sum, v) => sum + v.value, 0);
  expect(total('callmatrix_reconciliation_calls_recovered_total')).toBe(1);
  expect(total('callmatrix_reconciliation_calls_seen_total')).toBeGreaterThanOrEqual(1);

  const view = await h.result(lost.callId);
  expect(view.status).toBe('written');
  expect(await written(lost)).toEqual({ leads: 1, tasks: 1 });
  expect(await recoveredBy(lost.callId)).toBe('reconciliation');
  // Found by its client's number as a webhook's call is ([Operations]): the CallerKey of that number.
  const attributes = (await h.temporal.workflow.getHandle(`call:ringostat:${lost.callId}`).describe()).typedSearchAttributes;
  expect(attributes.get(searchAttributes.callerKey)).toBe(h.callerKey(lost.caller));

  // The end webhook finally arrives: acknowledged, and the CRM is unchanged.
  const late = await h.send('end', lost.parameters);
  expect(late).toMatchObject({ status: 200, body: { ok: true } });
  expect(await written(lost)).toEqual({ leads: 1, tasks: 1 });

  // The next, overlapping run sees the call again and leaves it alone.
  expect(await reconcileNow()).toMatchObject({ recovered: 0, failed: 0 });
  expect(await written(lost)).toEqual({ leads: 1, tasks: 1 });
});

it('C3, L1, M8: a missed call whose webhooks were all dropped, recovered after a later answered call with its client was written, has its callback task written completed', async () => {
  const answered = loggedCall(10);
  expect((await endOnly(h, incomingCall(answered.callId, { caller: answered.caller, calldate: answered.parameters.calldate }))).status).toBe('written');
  const missedId = h.uniqueCallId();
  const calldate = ringostatTime(new Date(Date.now() - 15 * MINUTE));
  ringostat.addCalls([{ ...missedCall(missedId, { caller: answered.caller, calldate }), uniqueid: missedId, calldate }]);

  expect(await reconcileNow()).toMatchObject({ failed: 0 });
  expect(await recoveredBy(missedId)).toBe('reconciliation');
  expect((await h.result(missedId)).plan?.rule).toBe('M8');
  const callback = (await h.records('Tasks')).find((task) => task.Subject === `Call back ${answered.caller}: missed call`);
  expect(callback).toMatchObject({ Status: 'Completed' });
  expect(String(callback?.Description)).toContain('the client was reached afterwards by an answered call');
});

it('L1: a call received by webhook is counted as already written and never marked recovered; log entries that are not calls are ignored', async () => {
  const received = loggedCall(15);
  await h.send('end', received.parameters);
  await h.result(received.callId);
  ringostat.addCalls([received.parameters, { uniqueid: '', calldate: ringostatTime(new Date(Date.now() - 15 * MINUTE)) }]);
  const report = await reconcileNow();
  expect(report).toMatchObject({ recovered: 0, ignored: 1, failed: 0 });
  expect(report.alreadyWritten).toBeGreaterThanOrEqual(1);
  expect(await recoveredBy(received.callId)).toBeUndefined();
  expect(await written(received)).toEqual({ leads: 1, tasks: 1 });
});

it('L1: backfill recovers the calls of a past range once; its dry run counts them and starts nothing', async () => {
  const lost = loggedCall(3 * 24 * 60);
  // At noon in Kyiv that day: it ends the day it started, whatever the time the test runs (its task is dated by its end).
  lost.parameters.calldate = `${lost.parameters.calldate.slice(0, 10)} 12:00:00`;
  const received = loggedCall(3 * 24 * 60 - 5);
  ringostat.addCalls([lost.parameters, received.parameters]);
  await h.send('end', received.parameters);
  await h.result(received.callId);
  const window = { from: new Date(Date.now() - 4 * 24 * 60 * MINUTE), to: new Date(Date.now() - 2 * 24 * 60 * MINUTE) };
  const lines: string[] = [];
  const backfill = (dryRun: boolean) =>
    runBackfill({ callLog: ringostatAdapter.openCallLog!({ apiUrl: ringostat.url, apiKey: KEY }), timeZone: TIME_ZONE, temporal: h.temporal, taskQueue: h.taskQueue, window, dryRun, logger: silent, progress: { isTTY: false, write: (line: string) => lines.push(line) } });

  const dry = await backfill(true);
  expect(dry).toMatchObject({ seen: 2, alreadyWritten: 1, recovered: 1, ignored: 0, failed: 0 });
  await expect(h.status(lost.callId)).rejects.toThrow(/not found/i);
  expect(lines.at(-1)).toBe('backfill 100%: seen 2, already written 1, recovered 1, ignored 0, failed 0\n');
  expect(formatSummary(dry, true)).toContain('(dry run: nothing was started)');

  expect(await backfill(false)).toMatchObject({ seen: 2, alreadyWritten: 1, recovered: 1 });
  await h.result(lost.callId);
  expect(await recoveredBy(lost.callId)).toBe('backfill');
  expect(await written(lost)).toEqual({ leads: 1, tasks: 1 });
  // The recovered call's task is dated by the call (its calldate and duration), not by the day backfill ran.
  const lostTask = (await h.records('Tasks')).find((task) => String(task.Description).includes(`${lost.callId}.mp3`));
  expect(lostTask?.Due_Date).toBe(lost.parameters.calldate.slice(0, 10));
  expect(await backfill(false)).toMatchObject({ seen: 2, alreadyWritten: 2, recovered: 0 });
  expect(await written(lost)).toEqual({ leads: 1, tasks: 1 });
  expect(await written(received)).toEqual({ leads: 1, tasks: 1 });
});
