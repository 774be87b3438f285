/**
 * L1 end to end: a call whose start webhook arrived and whose end webhook was lost. The call log (the Ringostat
 * emulator, real HTTP) lists it answered, without a recording; the scheduled reconciliation hands the log's entry to
 * the running call as its end, so the call is written for the manager who answered (M1/M2) — not decided as missed
 * (M9, on the senior manager) once `calls.endEventTimeoutMinutes` pass. Assertions are on the CRM's records.
 */
import { reconcileNow, useCallLogHarness } from '../scenarios/call-log-kit';
import { eventually, expectCrm, incomingCall, linkedTo, owner, ringing, ringostatTime, settings, without } from '../scenarios/scenario-kit';

const { harness, logCall } = useCallLogHarness('end-lost-call-log-key');

it('L1, M1/M2: an answered call whose end webhook was lost takes the call log\'s entry as its end and is written for the manager who answered, not as missed (M9); the next run changes nothing', async () => {
  const h = harness();
  // The shortest wait the settings allow: without the log's end, the call is decided without one after a minute.
  // Written without a recording, the call then stays running for one (C2), open to the next run's re-send.
  settings(h, { calls: { endEventTimeoutMinutes: 1, recordingGraceMinutes: 5 } });
  const callId = h.uniqueCallId();
  // Ten minutes ago, as the call log lists it: inside the reconciliation window. Ringostat has no recording yet.
  const call = without(incomingCall(callId, { calldate: ringostatTime(new Date(Date.now() - 10 * 60_000)) }), 'recording');
  expect(await h.send('start', ringing(call))).toMatchObject({ status: 200, body: { ok: true, outcome: 'delivered' } });
  logCall(call);

  expect(await reconcileNow(h)).toMatchObject({ recovered: 0, failed: 0 });
  const decided = await eventually(async () => (await h.status(callId)).plan, 90_000);
  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  const lead = crm.Leads[0];
  expect(lead).toMatchObject({ Owner: owner(h.users.ivan.id), rs_utm_source: 'google' });
  expect(crm.Tasks[0]).toMatchObject({ Status: 'Completed', Owner: owner(h.users.ivan.id), ...linkedTo({ module: 'Leads', id: String(lead.id) }) });
  expect(decided.rule).toBe('M1');

  // The next, overlapping run hands the same entry again: Temporal drops it (the same request id), nothing changes.
  const handle = h.temporal.workflow.getHandle(`call:ringostat:${callId}`);
  await eventually(async () => ((await h.status(callId)).status === 'written' ? true : undefined));
  const { historyLength } = await handle.describe();
  await reconcileNow(h);
  const after = await handle.describe();
  expect({ status: after.status.name, historyLength: after.historyLength }).toEqual({ status: 'RUNNING', historyLength });
  expect(await expectCrm(h, { Leads: 1, Tasks: 1 })).toEqual(crm);
  await handle.terminate('test done');
}, 150_000);
