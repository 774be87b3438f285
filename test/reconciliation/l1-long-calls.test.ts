/**
 * L1 end to end: a call longer than the sliding window's reach (about an hour), all of whose webhooks were lost. The
 * call log (the Ringostat emulator, real HTTP) lists it by its start, two hours back, once it ended; the long-call
 * sweep finds it and it is written once. A call longer than `reconciliation.maxCallMinutes` is left to `backfill`,
 * and a short call of those hours, checked by the sliding windows while it was recent, is not checked again.
 * Assertions are on the CRM's records.
 */
import { reconcileNow, useCallLogHarness } from '../scenarios/call-log-kit';
import { eventually, expectCrm, incomingCall, owner, ringostatTime, settings } from '../scenarios/scenario-kit';

const { harness, logCall } = useCallLogHarness('long-calls-call-log-key');
const MINUTE = 60_000;

/** An answered call that started `minutes` ago and lasted until now, from a number of its own. */
function endedCall(callId: string, minutes: number, caller: string) {
  const seconds = String(minutes * 60);
  return incomingCall(callId, { caller, calldate: ringostatTime(new Date(Date.now() - minutes * MINUTE)), duration: seconds, billsec: seconds });
}

it('L1: a 2-hour call whose webhooks were all lost is recovered by the long-call sweep; a call longer than maxCallMinutes is not, and a short one of those hours is not checked again', async () => {
  const h = harness();
  // Every run sweeps (one run per sweep period, here every run), so this run's time does not decide.
  settings(h, { reconciliation: { longCallSweepMinutes: 5, maxCallMinutes: 180 } });
  const long = h.uniqueCallId();
  logCall(endedCall(long, 120, '+380671110120'));
  logCall(endedCall(h.uniqueCallId(), 300, '+380671110300'));
  logCall(incomingCall(h.uniqueCallId(), { caller: '+380671110002', calldate: ringostatTime(new Date(Date.now() - 150 * MINUTE)) }));

  const report = await reconcileNow(h);
  expect(report).toMatchObject({ seen: 0, recovered: 0 });
  expect(report.longCalls).toMatchObject({ seen: 1, recovered: 1, failed: 0 });
  await eventually(async () => ((await h.status(long)).status === 'written' ? true : undefined));
  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  expect(crm.Leads[0]).toMatchObject({ Phone: '+380671110120', Owner: owner(h.users.ivan.id) });
  expect(crm.Tasks[0]).toMatchObject({ Status: 'Completed', Owner: owner(h.users.ivan.id) });

  // The next sweep sees the call again and writes nothing more.
  expect((await reconcileNow(h)).longCalls).toMatchObject({ seen: 1, alreadyWritten: 1, recovered: 0 });
  expect(await expectCrm(h, { Leads: 1, Tasks: 1 })).toEqual(crm);
}, 60_000);
