/**
 * R2, R3 (security): whoever reaches Temporal cannot send a re-activation's decision again. A resume, and a
 * re-activation's start, carry the admin's choice encrypted, so they cannot be forged; but one copied out of a
 * history and sent again resumed suspended calls as that admin once chose: a resume to the same call suspended
 * again or to any other suspended call, a start to every suspended call. Now a call accepts a resume only for the
 * run and suspension it was sent for, and a re-activation resumes calls only with the ticket of the latest start
 * an admin made; a copy is refused, logged and counted, the calls stay suspended, and a genuine re-activation
 * still resumes them.
 */
import { Connection, WorkflowFailedError } from '@temporalio/client';
import pino from 'pino';
import { createMetrics } from '../../observability/metrics';
import { callWorkflowId, reactivationWorkflowId, workflowTypes } from '../../temporal/contracts';
import { REFUSED_FAILURE_TYPE } from '../../temporal/refused-payload';
import { exchangeAuthorizationCode } from '../../zoho';
import { startReactivation } from '../../temporal/reactivation';
import { eventually, incomingCall, waitForStatus } from '../scenarios/scenario-kit';
import { startCallHarness, type CallHarness } from '../support/call-harness';
import { reactivateWith, sendCopiedResume } from '../support/reactivation-kit';

const metrics = createMetrics({ defaultMetrics: false });
let h: CallHarness;
let connection: Connection;
beforeAll(async () => {
  h = await startCallHarness({ observe: { metrics, logger: pino({ level: 'silent' }) } });
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
});
afterAll(async () => {
  await connection?.close();
  await h?.stop();
});

/** What the worker counted in callmatrix_workflow_inputs_refused_total{kind}. */
const refused = async (kind: 'resume' | 'reactivation') =>
  (await metrics.registry.getSingleMetric('callmatrix_workflow_inputs_refused_total')!.get()).values.find((sample) => sample.labels.kind === kind)?.value ?? 0;

/** An answered call from a number of its own: written, it is one lead (M1). */
function answeredCall() {
  const callId = h.uniqueCallId();
  const phone = `+38067${String(Date.now()).slice(-7)}`;
  return { callId, phone, workflowId: callWorkflowId('ringostat', callId), params: incomingCall(callId, { caller: phone }) };
}

it('R2, R3: a resume copied from an earlier re-activation resumes neither its call suspended again nor another call', async () => {
  const grant = await h.admin.revokeAllTokens();
  const resumedBefore = answeredCall();
  await h.send('end', resumedBefore.params);
  await waitForStatus(h, resumedBefore.callId, 'suspended');
  // The admin re-activates, but the re-activating user may not create leads: the call resumes and suspends again.
  await h.admin.addFault({ kind: 'error', status: 403, code: 'NO_PERMISSION', count: 1, match: { method: 'POST', module: 'Leads' } });
  await expect(reactivateWith(h, grant.code)).rejects.toMatchObject({ cause: { type: 'IntegrationBrokenAgain' } });
  await waitForStatus(h, resumedBefore.callId, 'suspended');
  const other = answeredCall();
  await h.send('end', other.params);
  await waitForStatus(h, other.callId, 'suspended');
  // Zoho would take the records now: a resume accepted here writes a lead.
  await h.activation.connect(h.activation.connection()!);

  const refusedBefore = await refused('resume');
  for (const call of [resumedBefore, other]) await sendCopiedResume(connection.workflowService, resumedBefore.workflowId, call.workflowId);

  await eventually(async () => ((await refused('resume')) === refusedBefore + 2 ? true : undefined));
  for (const call of [resumedBefore, other]) expect((await h.status(call.callId)).status).toBe('suspended');
  expect(await h.records('Leads')).toEqual([]);

  // The admin's next re-activation resumes both, each written once.
  const { workflowId } = await startReactivation(h.temporal, h.activation, { taskQueue: h.taskQueue, resend: true });
  expect(await h.temporal.workflow.getHandle(workflowId).result()).toMatchObject({ resumed: 2 });
  const leads = await h.records('Leads');
  for (const call of [resumedBefore, other]) {
    expect((await h.result(call.callId)).status).toBe('written');
    expect(leads.filter((lead) => lead.Phone === call.phone)).toHaveLength(1);
  }
});

it("R2, R3: a re-activation's start copied from its history and started again resumes nothing", async () => {
  const grant = await h.admin.revokeAllTokens();
  const earlier = answeredCall();
  await h.send('end', earlier.params);
  await waitForStatus(h, earlier.callId, 'suspended');
  await reactivateWith(h, grant.code);
  expect((await h.result(earlier.callId)).status).toBe('written');
  const { history } = await connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: reactivationWorkflowId(h.taskQueue) } });
  const copied = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input;
  expect(copied?.payloads).toHaveLength(1);

  // Another outage; Zoho takes records again (a resumed call would be written), but no admin has re-activated yet.
  const again = await h.admin.revokeAllTokens();
  const later = answeredCall();
  await h.send('end', later.params);
  await waitForStatus(h, later.callId, 'suspended');
  const current = (await h.activation.current())!;
  const { refreshToken } = await exchangeAuthorizationCode(current, again.code, 10_000);
  await h.activation.connect({ ...current, refreshToken, connectedAt: new Date().toISOString(), via: 'grant-code' });

  const refusedBefore = await refused('reactivation');
  const workflowId = `copied-reactivation-${later.callId}`;
  await connection.workflowService.startWorkflowExecution({
    namespace: 'default',
    workflowId,
    workflowType: { name: workflowTypes.reactivation },
    taskQueue: { name: h.taskQueue },
    input: copied,
    identity: 'copied-reactivation',
    requestId: workflowId,
  });
  const failure = await h.temporal.workflow.getHandle(workflowId).result().then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect((failure as WorkflowFailedError).cause).toMatchObject({ type: REFUSED_FAILURE_TYPE, message: expect.stringMatching(/re-activation refused: not the latest one an admin started/) });
  expect(await refused('reactivation')).toBe(refusedBefore + 1);
  expect((await h.status(later.callId)).status).toBe('suspended');
  expect((await h.records('Leads')).filter((lead) => lead.Phone === later.phone)).toEqual([]);

  // The admin's own re-activation still resumes the call.
  const { workflowId: genuine } = await startReactivation(h.temporal, h.activation, { taskQueue: h.taskQueue, resend: true });
  expect(await h.temporal.workflow.getHandle(genuine).result()).toMatchObject({ resumed: 1 });
  expect((await h.result(later.callId)).status).toBe('written');
  expect((await h.records('Leads')).filter((lead) => lead.Phone === later.phone)).toHaveLength(1);
});
