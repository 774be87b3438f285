/**
 * `npm run record-histories`: records the histories the replay test (replay.test.ts) replays. It starts Temporal
 * as the test suite's global setup does and a harness as the scenario tests do, drives each situation of
 * situations.ts through real webhooks against the Zoho emulator, and writes every workflow's history to
 * test/replay/histories/<situation>.json, its payloads encrypted with the TEST-ONLY key.
 *
 * `-- --keep <label>` first copies the current histories to histories/<label>/, so calls recorded with the
 * workflow code before your change stay covered (see "Changing workflow code" in the README).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { parseEncryptionKey, EncryptionCodec } from '../../temporal/encryption-codec';
import crypto from 'node:crypto';
import { startRingostatEmulator, type RingostatEmulator } from '@callmatrix/ringostat-emulator';
import { callWorkflowId, distributionWorkflowId, reconciliationScheduleId, workflowTypes } from '../../temporal/contracts';
import { ringostatAdapter } from '../../telephony/ringostat';
import { startReactivation } from '../../temporal/reactivation';
import { renewLongLivedWorkflows } from '../../temporal/renew-long-lived-workflows';
import { exchangeAuthorizationCode } from '../../zoho';
import { demoSettings, startCallHarness, type CallHarness } from '../support/call-harness';
import { startTestTemporal, stopTestTemporal } from '../support/global-setup';
import { reactivateWith, resumeWhileReporting, sendCopiedResume } from '../support/reactivation-kit';
import { signalWhileTaskInFlight, type SignalWhileTaskInFlight } from '../support/signal-while-task-in-flight';
import { resetToFirstWorkflowTask } from '../support/workflow-reset';
import { eventually, incomingCall, missedCall, ringing, ringostatTime, waitForStatus, waitInATerminatedShard, without } from '../scenarios/scenario-kit';
import { coverageProblem, HISTORIES_DIR, SITUATIONS, tookPatch, type RecordedHistory, type Situation } from './situations';
import { TEST_ONLY_HISTORY_KEY } from './test-only-key';
import { REFUSE_COPIED_RESUMES } from '../../workflows/patches';

/**
 * The server suggests continue-as-new after this many history events (default 4096), so the distribution
 * workflow continues as new after a couple of turns and its histories stay small.
 */
const CONTINUE_AS_NEW_AFTER_EVENTS = 10;

type Recorded = Partial<Record<Situation, WorkflowHandle>>;

const RINGOSTAT_KEY = 'record-histories-key';

async function main(): Promise<void> {
  const keep = process.argv.indexOf('--keep');
  if (keep >= 0) keepCurrentHistories(process.argv[keep + 1]);
  const started = Date.now();
  await startTestTemporal({ dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': CONTINUE_AS_NEW_AFTER_EVENTS } });
  let h: CallHarness | undefined;
  const ringostat = await startRingostatEmulator({ apiKey: RINGOSTAT_KEY });
  try {
    // The call log the reconciliation situation reads; the worker's Schedule is deleted, the run started by hand.
    const callLog = ringostatAdapter.openCallLog!({ apiUrl: ringostat.url, apiKey: RINGOSTAT_KEY, retryDelayMs: 10 });
    const hook = signalWhileTaskInFlight();
    h = await startCallHarness({ callLog, logger: hook.logger });
    await h.temporal.schedule.getHandle(reconciliationScheduleId(h.taskQueue)).delete();
    const recorded: Recorded = {};
    const reconciliationOf = (harness: CallHarness) => reconciliation(harness, ringostat);
    const resumedWhileReportingOf = (harness: CallHarness) => resumedWhileReporting(harness, hook);
    for (const drive of [answeredNewClient, lateRecording, createBeforeCall, lateMissedCallAfterRinging, foreignDigitsBeforeCall, missedCallDistribution, workflowReset, failedCall, suspendedAndResumed, callerTurns, rejoinedLostQueue, renewedByWorkerStart, reconciliationOf, resumedWhileReportingOf, copiedResumeRefused]) {
      h.setSettings(demoSettings(h.users));
      await h.admin.reset();
      Object.assign(recorded, await drive(h));
    }
    const missing = Object.keys(SITUATIONS).filter((situation) => !recorded[situation as Situation]);
    if (missing.length > 0) throw new Error(`no history recorded for: ${missing.join(', ')}`);
    const codec = harnessCodec(h);
    for (const [situation, handle] of Object.entries(recorded) as [Situation, WorkflowHandle][]) {
      await writeHistory(situation, handle, codec);
    }
    console.log(`recorded ${Object.keys(recorded).length} histories in ${HISTORIES_DIR} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } finally {
    await h?.stop();
    await ringostat.close();
    await stopTestTemporal();
  }
}

function keepCurrentHistories(label: string | undefined): void {
  if (!label || !/^[\w.-]+$/.test(label)) throw new Error('--keep needs a folder name (letters, digits, . _ -), e.g. --keep before-issue-42');
  const target = path.join(HISTORIES_DIR, label);
  if (fs.existsSync(target)) throw new Error(`${target} already exists: choose another --keep label`);
  fs.mkdirSync(target);
  for (const file of fs.readdirSync(HISTORIES_DIR).filter((name) => name.endsWith('.json'))) {
    fs.copyFileSync(path.join(HISTORIES_DIR, file), path.join(target, file));
  }
}

const callHandle = (h: CallHarness, callId: string) => h.temporal.workflow.getHandle(callWorkflowId('ringostat', callId));

/** Sends the events of a call in order and waits until its workflow has finished (written, ignored, or failed). */
async function runCall(h: CallHarness, callId: string, events: [moment: 'start' | 'answer' | 'end', parameters: Record<string, string>][]) {
  for (const [moment, parameters] of events) {
    const { status, body } = await h.send(moment, parameters);
    if (status !== 200) throw new Error(`the ${moment} webhook of ${callId} was refused: ${status} ${JSON.stringify(body)}`);
  }
  await h.result(callId).catch(() => undefined);
  return callHandle(h, callId);
}

async function answeredNewClient(h: CallHarness): Promise<Recorded> {
  const callId = h.uniqueCallId();
  return { 'm1-answered-new-client': await runCall(h, callId, [['end', incomingCall(callId)]]) };
}

/** C2: one call gets its recording from a second end webhook; another waits out a short grace without one. */
async function lateRecording(h: CallHarness): Promise<Recorded> {
  h.setSettings(demoSettings(h.users, { calls: { recordingGraceMinutes: 5 } }));
  const late = h.uniqueCallId();
  await h.send('end', without(incomingCall(late), 'recording'));
  await waitForStatus(h, late, 'written');
  const recorded = await runCall(h, late, [['end', incomingCall(late)]]);
  h.setSettings(demoSettings(h.users, { calls: { recordingGraceMinutes: 0.02 } }));
  const none = h.uniqueCallId();
  return { 'c2-late-recording': recorded, 'c2-recording-grace-expired': await runCall(h, none, [['end', without(incomingCall(none), 'recording')]]) };
}

async function createBeforeCall(h: CallHarness): Promise<Recorded> {
  h.setSettings(demoSettings(h.users, { matrix: { createBeforeCall: true } }));
  const callId = h.uniqueCallId();
  const call = incomingCall(callId);
  await h.send('start', ringing(call));
  await eventually(async () => ((await h.records('Tasks')).length === 1 ? true : undefined));
  return { 'o1-create-before-call': await runCall(h, callId, [['answer', { ...ringing(call), connected_with: 'ivan' }], ['end', call]]) };
}

/**
 * C3, O1: a missed call rings (O1 writes), an answered call with the client is written, then the missed call's end
 * event comes an hour after the call: the call asks for the answered calls again and writes its callback completed.
 */
async function lateMissedCallAfterRinging(h: CallHarness): Promise<Recorded> {
  h.setSettings(demoSettings(h.users, { matrix: { createBeforeCall: true } }));
  const ago = (minutes: number) => ringostatTime(new Date(Date.now() - minutes * 60_000));
  const missedId = h.uniqueCallId();
  const missed = missedCall(missedId, { calldate: ago(60) });
  await h.send('start', ringing(missed));
  await eventually(async () => ((await h.records('Tasks')).length === 1 ? true : undefined));
  const answeredId = h.uniqueCallId();
  await runCall(h, answeredId, [['end', incomingCall(answeredId, { calldate: ago(30), connected_with: 'maria' })]]);
  return { 'c3-o1-missed-call-written-late': await runCall(h, missedId, [['end', missed]]) };
}

/** O1 and M1 for a foreign caller Ringostat writes in digits only: read as international (common/phone.ts). */
async function foreignDigitsBeforeCall(h: CallHarness): Promise<Recorded> {
  h.setSettings(demoSettings(h.users, { matrix: { createBeforeCall: true } }));
  const callId = h.uniqueCallId();
  const call = incomingCall(callId, { caller: '48501234567' });
  await h.send('start', ringing(call));
  return { 'o1-foreign-digits': await runCall(h, callId, [['answer', { ...ringing(call), connected_with: 'ivan' }], ['end', call]]) };
}

/** Every employee but the senior manager (101) takes part in the missed-call distribution (O4). */
function withDistribution(h: CallHarness): void {
  const base = demoSettings(h.users);
  h.setSettings(demoSettings(h.users, { employees: base.employees.map((e) => ({ ...e, missedCallDistribution: e.code !== '101' })) }));
}

async function missedCallDistribution(h: CallHarness): Promise<Recorded> {
  withDistribution(h);
  const calls: WorkflowHandle[] = [];
  let runs: WorkflowHandle[] = [];
  // Missed calls from new clients, each taking a turn, until the distribution workflow has continued as new twice.
  while (runs.length < 2) {
    if (calls.length === 12) throw new Error(`after ${calls.length} missed calls the distribution workflow continued as new only ${runs.length} times`);
    const callId = h.uniqueCallId();
    calls.push(await runCall(h, callId, [['end', missedCall(callId, { caller: `+38067000${String(calls.length).padStart(4, '0')}` })]]));
    runs = await continuedRuns(h, distributionWorkflowId(h.taskQueue));
  }
  return { 'o4-missed-call-distribution': calls[0], 'distribution-continued-as-new': runs[0], 'distribution-from-continued-state': runs[1] };
}

/** The runs of a workflow that continued as new, first to last, following each run's continued-as-new event. */
async function continuedRuns(h: CallHarness, workflowId: string): Promise<WorkflowHandle[]> {
  const { raw } = await h.temporal.workflow.getHandle(workflowId).describe();
  const runs: WorkflowHandle[] = [];
  let runId: string | null | undefined = raw.workflowExecutionInfo?.firstRunId;
  while (runId) {
    const run = h.temporal.workflow.getHandle(workflowId, runId);
    const { events } = await run.fetchHistory();
    runId = events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    if (runId) runs.push(run);
  }
  return runs;
}

async function workflowReset(h: CallHarness): Promise<Recorded> {
  const callId = h.uniqueCallId();
  const handle = await runCall(h, callId, [['end', incomingCall(callId)]]);
  const resetRun = await resetToFirstWorkflowTask(h.temporal, handle, 'recording the replay history of a reset run');
  await resetRun.result();
  return { 'workflow-reset': resetRun };
}

async function failedCall(h: CallHarness): Promise<Recorded> {
  await h.admin.addFault({ kind: 'error', status: 400, code: 'INVALID_DATA', count: 1, match: { method: 'POST', module: 'Tasks' } });
  const callId = h.uniqueCallId();
  const handle = await runCall(h, callId, [['end', incomingCall(callId)]]);
  if ((await h.status(callId)).status !== 'failed') throw new Error('the failed-call situation did not end as failed');
  return { 'failed-call': handle };
}

async function suspendedAndResumed(h: CallHarness): Promise<Recorded> {
  const inFlight = h.uniqueCallId();
  await h.send('start', ringing(incomingCall(inFlight)));
  // The call has loaded the CRM context (a local activity) and waits for its end.
  await eventually(async () => {
    const { events } = await callHandle(h, inFlight).fetchHistory();
    return (events ?? []).some((event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity') ? true : undefined;
  });
  const grant = await h.admin.revokeAllTokens();
  await h.send('end', incomingCall(inFlight));
  await waitForStatus(h, inFlight, 'suspended');
  const whileBroken = h.uniqueCallId();
  await h.send('end', incomingCall(whileBroken, { caller: '+380671112233' }));
  await waitForStatus(h, whileBroken, 'suspended');

  // The admin re-activates with a fresh grant code and "send data to the CRM after re-activation".
  const current = (await h.activation.current())!;
  const { refreshToken } = await exchangeAuthorizationCode(current, grant.code, 10_000);
  await h.activation.connect({ ...current, refreshToken, connectedAt: new Date().toISOString(), via: 'grant-code' });
  const { workflowId } = await startReactivation(h.temporal, h.activation, { taskQueue: h.taskQueue, resend: true });
  await h.temporal.workflow.getHandle(workflowId).result();
  // This run: a later situation starts another re-activation under the same workflow id.
  const reactivation = h.temporal.workflow.getHandle(workflowId, (await h.temporal.workflow.getHandle(workflowId).describe()).runId);
  for (const callId of [inFlight, whileBroken]) {
    if ((await h.result(callId)).status !== 'written') throw new Error(`the resumed call ${callId} was not written`);
  }
  return { 'suspended-in-flight-resumed': callHandle(h, inFlight), 'suspended-while-broken-resumed': callHandle(h, whileBroken), reactivation };
}

/** R3: a newer re-activation's resume reaches a resumed call while it reports its second suspension. */
async function resumedWhileReporting(h: CallHarness, hook: SignalWhileTaskInFlight): Promise<Recorded> {
  const race = await resumeWhileReporting(h, hook);
  if (!race.resumeSent) throw new Error(`the newer resume was not sent to ${race.callId}`);
  if ((await h.result(race.callId)).status !== 'written') throw new Error(`the call resumed while reporting, ${race.callId}, was not written`);
  return { 'r3-resumed-while-reporting': callHandle(h, race.callId) };
}

/** Security, R3: a suspended call refuses a resume copied from an earlier call's history; the admin's re-activation resumes it. */
async function copiedResumeRefused(h: CallHarness): Promise<Recorded> {
  const [earlier, later] = [h.uniqueCallId(), h.uniqueCallId()];
  const grant = await h.admin.revokeAllTokens();
  await h.send('end', incomingCall(earlier, { caller: '+380671112244' }));
  await waitForStatus(h, earlier, 'suspended');
  await reactivateWith(h, grant.code);
  const again = await h.admin.revokeAllTokens();
  await h.send('end', incomingCall(later, { caller: '+380671112255' }));
  await waitForStatus(h, later, 'suspended');
  await sendCopiedResume(h.temporal.workflowService, callWorkflowId('ringostat', earlier), callWorkflowId('ringostat', later));
  await eventually(async () => (tookPatch((await callHandle(h, later).fetchHistory()).events ?? [], REFUSE_COPIED_RESUMES) ? true : undefined));
  await reactivateWith(h, again.code);
  if ((await h.result(later)).status !== 'written') throw new Error(`the call that refused a copied resume, ${later}, was not written`);
  return { 'r3-copied-resume-refused': callHandle(h, later) };
}

/**
 * Two calls of one new caller at once: the caller's shard grants the first its turn at once, the second (which
 * waits, M17) once the first is done. The server suggests continuing as new early here, so the story spans runs: the runs that show
 * each part.
 */
async function callerTurns(h: CallHarness): Promise<Recorded> {
  const callIds = [h.uniqueCallId(), h.uniqueCallId()];
  await Promise.all(callIds.map((callId) => h.send('end', incomingCall(callId))));
  await Promise.all(callIds.map((callId) => h.result(callId)));
  const situations = ['caller-queues-two-calls', 'caller-queues-from-continued-state'] as const;
  const recorded: Recorded = {};
  for (const callId of callIds) {
    const call = callHandle(h, callId);
    if (!coverageProblem('m17-call-waited-for-turn', workflowTypes.call, await call.fetchHistory())) recorded['m17-call-waited-for-turn'] = call;
  }
  const query = `WorkflowType = "${workflowTypes.callerQueueShard}" AND TaskQueue = "${h.taskQueue}"`;
  for await (const execution of h.temporal.workflow.list({ query })) {
    const run = h.temporal.workflow.getHandle(execution.workflowId, execution.runId);
    const history = await run.fetchHistory();
    for (const situation of situations) if (!recorded[situation] && !coverageProblem(situation, execution.type, history)) recorded[situation] = run;
  }
  return recorded;
}

/** A call waiting for its caller's turn in a shard an operator terminated: it joins again and is written. */
async function rejoinedLostQueue(h: CallHarness): Promise<Recorded> {
  const [first, second] = [h.uniqueCallId(), h.uniqueCallId()];
  await waitInATerminatedShard(h, first, second);
  await h.result(second);
  return { 'm17-rejoined-lost-queue': callHandle(h, second) };
}

/** A worker's start renews the long-lived workflows (temporal/renew-long-lived-workflows.ts): a shard and the round robin. */
async function renewedByWorkerStart(h: CallHarness): Promise<Recorded> {
  withDistribution(h);
  const callId = h.uniqueCallId();
  await runCall(h, callId, [['end', missedCall(callId, { caller: '+380670009999' })]]);
  const query = `WorkflowType IN ("${workflowTypes.callerQueueShard}", "${workflowTypes.distribution}") AND TaskQueue = "${h.taskQueue}" AND ExecutionStatus = "Running"`;
  const running: WorkflowHandle[] = [];
  for await (const execution of h.temporal.workflow.list({ query })) running.push(h.temporal.workflow.getHandle(execution.workflowId, execution.runId));
  await renewLongLivedWorkflows(h.temporal, h.taskQueue);
  const recorded: Recorded = {};
  for (const run of running) {
    const history = await eventually(async () => {
      const fetched = await run.fetchHistory();
      return fetched.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes ? fetched : undefined;
    });
    const type = (await run.describe()).type;
    for (const situation of ['caller-queues-renewed', 'distribution-renewed'] as const) {
      if (!recorded[situation] && !coverageProblem(situation, type, history)) recorded[situation] = run;
    }
  }
  return recorded;
}

/** A call whose webhooks were all dropped, in the call log; one reconciliation run, as the Schedule starts it. */
async function reconciliation(h: CallHarness, ringostat: RingostatEmulator): Promise<Recorded> {
  const callId = h.uniqueCallId();
  ringostat.addCalls([{ ...incomingCall(callId), uniqueid: callId, calldate: ringostatTime(new Date(Date.now() - 10 * 60_000)) }]);
  const run = await h.temporal.workflow.start(workflowTypes.reconciliation, { taskQueue: h.taskQueue, workflowId: `record-reconciliation-${crypto.randomUUID()}` });
  await run.result();
  if ((await h.result(callId)).status !== 'written') throw new Error('the reconciled call was not written');
  return { 'l1-reconciliation': run };
}

/** The codec the harness's client and worker encrypt with (a key of its own per run). */
function harnessCodec(h: CallHarness): PayloadCodec {
  const [codec] = h.temporal.options.loadedDataConverter.payloadCodecs;
  return codec;
}

async function writeHistory(situation: Situation, handle: WorkflowHandle, harness: PayloadCodec): Promise<void> {
  const history = await handle.fetchHistory();
  const workflowType = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '(none)';
  const problem = coverageProblem(situation, workflowType, history);
  if (problem) throw new Error(`recorded the wrong history: ${problem}`);
  await reencrypt(history, harness, new EncryptionCodec(parseEncryptionKey(TEST_ONLY_HISTORY_KEY)));
  const recorded: RecordedHistory = {
    situation,
    covers: SITUATIONS[situation].covers,
    workflowType,
    workflowId: handle.workflowId,
    history: JSON.parse(historyToJSON(history)),
  };
  fs.writeFileSync(path.join(HISTORIES_DIR, `${situation}.json`), `${JSON.stringify(recorded, null, 1)}\n`);
}

/** Re-encrypts every encrypted payload of the history, wherever the event keeps it, with the test-only key. */
async function reencrypt(node: unknown, from: PayloadCodec, to: PayloadCodec): Promise<void> {
  if (node === null || typeof node !== 'object' || ArrayBuffer.isView(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (isEncryptedPayload(value)) {
      (node as Record<string, unknown>)[key] = (await to.encode(await from.decode([value])))[0];
    } else {
      await reencrypt(value, from, to);
    }
  }
}

function isEncryptedPayload(value: unknown): value is Payload {
  const encoding = (value as Payload | null)?.metadata?.encoding;
  return encoding instanceof Uint8Array && Buffer.from(encoding).toString() === 'binary/encrypted';
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
