/**
 * R3 on the real Temporal server and the Zoho emulator: re-activation resumes suspended calls one after the other,
 * each telling it how it ended. A resumed call that an operator terminates can no longer tell; the re-activation
 * notices through Temporal and goes on with the next call instead of waiting for ever.
 */
import { temporal } from '@temporalio/proto';
import { callWorkflowId } from '../../temporal/contracts';
import { startReactivation } from '../../temporal/reactivation';
import { exchangeAuthorizationCode } from '../../zoho';
import { startCallHarness, type CallHarness } from '../support/call-harness';
import { eventually, incomingCall, ringostatTime, waitForStatus } from '../scenarios/scenario-kit';

const { PENDING_ACTIVITY_STATE_PAUSED } = temporal.api.enums.v1.PendingActivityState;

let h: CallHarness;
beforeAll(async () => {
  h = await startCallHarness();
});
afterAll(async () => h?.stop());

/**
 * Pauses the call's write of its records, as an operator can (`temporal activity pause`), and waits until Temporal
 * reports it paused: the attempt that was running, if any, has ended (meeting Zoho's fault), and no retry starts.
 * Terminating the workflow alone does not stop an attempt already running, which could land the records after Zoho
 * is healed.
 */
async function pauseWrite(workflowId: string): Promise<void> {
  const handle = h.temporal.workflow.getHandle(workflowId);
  const write = async () => (await handle.describe()).raw.pendingActivities?.find((activity) => activity.activityType?.name === 'applyPlan');
  const { activityId } = await eventually(write);
  await h.temporal.workflowService.pauseActivity({ namespace: 'default', execution: { workflowId }, id: activityId, identity: 'operator', reason: 'stuck call' });
  await eventually(async () => ((await write())?.state === PENDING_ACTIVITY_STATE_PAUSED ? true : undefined), 30_000);
}

/** An answered call from a number of its own, started `minutesAgo` (the re-activation resumes calls oldest first). */
function answeredCall(minutesAgo: number) {
  const callId = h.uniqueCallId();
  const phone = `+38067${String(Date.now()).slice(-5)}${String(minutesAgo).padStart(2, '0')}`;
  return { callId, phone, params: incomingCall(callId, { caller: phone, calldate: ringostatTime(new Date(Date.now() - minutesAgo * 60_000)) }) };
}

it('R3: a resumed call terminated by an operator does not hold up the calls after it', async () => {
  const grant = await h.admin.revokeAllTokens();
  const first = answeredCall(3);
  const second = answeredCall(2);
  for (const call of [first, second]) {
    await h.send('end', call.params);
    await waitForStatus(h, call.callId, 'suspended');
  }

  // Zoho keeps failing the first call's lead, so it retries, resumed, until the operator terminates it.
  await h.admin.addFault({ kind: 'error', status: 500, match: { method: 'POST', module: 'Leads' } });
  const current = (await h.activation.current())!;
  const fresh = await exchangeAuthorizationCode(current, grant.code, 10_000);
  await h.activation.connect({ ...current, refreshToken: fresh.refreshToken, connectedAt: new Date().toISOString(), via: 'grant-code' });
  const { workflowId } = await startReactivation(h.temporal, h.activation, { taskQueue: h.taskQueue, resend: true, silentCallCheck: '1 second' });
  await waitForStatus(h, first.callId, 'writing');
  const stuck = callWorkflowId('ringostat', first.callId);
  await pauseWrite(stuck);
  await h.temporal.workflow.getHandle(stuck).terminate('operator: stuck call');
  await h.admin.clearFaults();

  expect(await h.temporal.workflow.getHandle(workflowId).result()).toMatchObject({ resumed: 2 });
  expect((await h.result(second.callId)).status).toBe('written');
  const leads = await h.records('Leads');
  expect(leads.filter((lead) => lead.Phone === second.phone)).toHaveLength(1);
  expect(leads.filter((lead) => lead.Phone === first.phone)).toHaveLength(0);
});
