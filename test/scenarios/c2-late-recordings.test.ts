/**
 * C2 end to end: a recording that arrives after the call was written — in a second end webhook, or from the call
 * log (L1, the Ringostat emulator over real HTTP) — goes into the call's Task and Calls record in the emulator,
 * once; after the grace period nothing is written. Assertions are on the records the CRM ends up with (their
 * content and Modified_Time) and on the emulator's log of what it was asked.
 */
import type { CallStatusView } from '../../temporal/call-status';
import type { CallHarness } from '../support/call-harness';
import { reconcileNow, useCallLogHarness } from './call-log-kit';
import { expectCrm, incomingCall, ringostatTime, settings, waitForStatus, without, type CrmState } from './scenario-kit';

const { harness, logCall } = useCallLogHarness('c2-call-log-key');

const recordingOf = (callId: string) => `https://records.example.com/late-${callId}.mp3`;
/** The records the call's status lists as updated with a late recording. */
const lateUpdates = (view: CallStatusView) => view.written.filter((record) => record.operation.startsWith('late-recording-')).map((record) => record.module);

/** Calls are logged in the Calls module (C1) and wait `minutes` for a recording (C2). */
const graceOf = (h: CallHarness, minutes: number) => settings(h, { matrix: { callRecords: true }, calls: { recordingGraceMinutes: minutes } });

/** The last request the emulator logged so far: what a call asked for after it is what `requests(seq)` returns. */
const lastRequest = async (h: CallHarness) => (await h.admin.requests()).at(-1)?.seq ?? 0;

/** Sends the end webhook without its recording and waits until the call is written: M1/M2 and C1, "Recording: none". */
async function writtenWithoutRecording(h: CallHarness, parameters: Record<string, string>): Promise<CrmState> {
  expect(await h.send('end', without(parameters, 'recording'))).toMatchObject({ status: 200, body: { ok: true, outcome: 'delivered' } });
  await waitForStatus(h, parameters.uniqueid, 'written');
  const crm = await expectCrm(h, { Leads: 1, Tasks: 1, Calls: 1 });
  expect(crm.Tasks[0].Description).toContain('Recording: none');
  expect(crm.Calls[0]).toMatchObject({ Voice_Recording__s: null, Description: expect.stringContaining('Recording: none') });
  return crm;
}

/** The Task and Calls record as before, with the link in place of "Recording: none" and in Voice_Recording__s. */
function expectRecordingAdded(before: CrmState, after: CrmState, link: string): void {
  const withLink = (description: unknown) => String(description).replace('Recording: none', `Recording: ${link}`);
  expect(after.Tasks).toEqual([{ ...before.Tasks[0], Description: withLink(before.Tasks[0].Description), Modified_Time: expect.any(String) }]);
  expect(after.Calls).toEqual([
    { ...before.Calls[0], Description: withLink(before.Calls[0].Description), Voice_Recording__s: link, Modified_Time: expect.any(String) },
  ]);
  expect(after.Leads).toEqual(before.Leads);
}

/** What the emulator was asked since `seq`: the late recording's update, and nothing else (no read, no create). */
async function expectOnlyTheUpdate(h: CallHarness, seq: number): Promise<void> {
  const asked = (await h.admin.requests(seq)).map((request) => request.endpoint);
  // One composite request for both records when bundling is on, else one PUT per record.
  expect([['POST /crm/v8/__composite_requests'], ['PUT /crm/v8/Tasks/{id}', 'PUT /crm/v8/Calls/{id}']]).toContainEqual(asked);
}

/**
 * `arrival`, a minute later on the CRM's clock (a write would change Modified_Time): the CRM is exactly as it was,
 * and the emulator was asked nothing.
 */
async function expectChangesNothing(h: CallHarness, crm: CrmState, arrival: () => Promise<void>): Promise<void> {
  await h.admin.advanceClock(60_000);
  const seq = await lastRequest(h);
  await arrival();
  expect(await expectCrm(h, { Leads: 1, Tasks: 1, Calls: 1 })).toEqual(crm);
  expect(await h.admin.requests(seq)).toEqual([]);
}

/** The same end webhook again: acknowledged as finished, and nothing changes. */
const expectRepeatChangesNothing = (h: CallHarness, parameters: Record<string, string>, crm: CrmState) =>
  expectChangesNothing(h, crm, async () => {
    expect(await h.send('end', parameters)).toMatchObject({ status: 200, body: { ok: true, outcome: 'call-already-finished' } });
  });

it('C2, M1/M2: an answered call written without a recording gets the link of a later end webhook in its Task and Calls record, once; the same webhook again changes nothing', async () => {
  const h = harness();
  graceOf(h, 5);
  const callId = h.uniqueCallId();
  const link = recordingOf(callId);
  const parameters = incomingCall(callId, { recording: link });
  const before = await writtenWithoutRecording(h, parameters);

  const seq = await lastRequest(h);
  expect(await h.send('end', parameters)).toMatchObject({ status: 200, body: { ok: true, outcome: 'delivered' } });
  const view = await h.result(callId);
  expect(view.status).toBe('written');
  expect(lateUpdates(view)).toEqual(['Tasks', 'Calls']);
  const after = await expectCrm(h, { Leads: 1, Tasks: 1, Calls: 1 });
  expectRecordingAdded(before, after, link);
  await expectOnlyTheUpdate(h, seq);

  await expectRepeatChangesNothing(h, parameters, after);
});

it('C2: while the call waits, a plain re-send of its end webhook reaches no history and writes nothing; a call that brought its recording does not wait', async () => {
  const h = harness();
  graceOf(h, 5);
  const callId = h.uniqueCallId();
  const parameters = incomingCall(callId, { recording: recordingOf(callId) });
  const before = await writtenWithoutRecording(h, parameters);
  const handle = h.temporal.workflow.getHandle(`call:ringostat:${callId}`);
  const { historyLength } = await handle.describe();
  expect(await h.send('end', without(parameters, 'recording'))).toMatchObject({ status: 200, body: { ok: true, outcome: 'delivered' } });
  const waiting = await handle.describe();
  expect({ status: waiting.status.name, historyLength: waiting.historyLength }).toEqual({ status: 'RUNNING', historyLength });
  expect(await expectCrm(h, { Leads: 1, Tasks: 1, Calls: 1 })).toEqual(before);
  await handle.terminate('test done');

  // The common case: the recording comes with the end webhook, and the call completes once written.
  await h.admin.reset();
  const onTime = h.uniqueCallId();
  expect(await h.send('end', incomingCall(onTime))).toMatchObject({ status: 200 });
  expect(lateUpdates(await h.result(onTime))).toEqual([]);
  expect((await expectCrm(h, { Leads: 1, Tasks: 1, Calls: 1 })).Calls[0].Voice_Recording__s).toBe(`https://records.example.com/${onTime}.mp3`);
});

it('C2, L1: a recording the call log brings reaches the call written without one: reconciliation adds it to its Task and Calls record', async () => {
  const h = harness();
  graceOf(h, 5);
  const callId = h.uniqueCallId();
  const link = recordingOf(callId);
  // Ten minutes ago, as the call log lists it (the emulator's wall clock is UTC): inside the reconciliation window.
  const parameters = incomingCall(callId, { recording: link, calldate: ringostatTime(new Date(Date.now() - 10 * 60_000)) });
  const before = await writtenWithoutRecording(h, parameters);

  logCall(parameters);
  const seq = await lastRequest(h);
  const report = await reconcileNow(h);
  expect(report).toMatchObject({ recovered: 0, failed: 0 });
  expect(report.alreadyWritten).toBeGreaterThanOrEqual(1);
  expect(lateUpdates(await h.result(callId))).toEqual(['Tasks', 'Calls']);
  const after = await expectCrm(h, { Leads: 1, Tasks: 1, Calls: 1 });
  expectRecordingAdded(before, after, link);
  await expectOnlyTheUpdate(h, seq);

  // The next, overlapping run sees the call again: the call is finished, and nothing is written.
  await expectChangesNothing(h, after, async () => {
    await reconcileNow(h);
  });
});

it('C2: a recording that arrives after the grace period writes nothing: the call is finished', async () => {
  const h = harness();
  graceOf(h, 0.05);
  const callId = h.uniqueCallId();
  const parameters = incomingCall(callId, { recording: recordingOf(callId), calldate: ringostatTime(new Date(Date.now() - 10 * 60_000)) });
  const before = await writtenWithoutRecording(h, parameters);
  const written = await lastRequest(h);
  const view = await h.result(callId);
  expect(view.status).toBe('written');
  expect(lateUpdates(view)).toEqual([]);
  // Waiting cost the CRM nothing.
  expect(await h.admin.requests(written)).toEqual([]);

  await expectRepeatChangesNothing(h, parameters, before);
  // Nor from the call log (L1): the call is finished.
  logCall(parameters);
  await expectChangesNothing(h, before, async () => {
    await reconcileNow(h);
  });
});
