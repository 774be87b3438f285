/**
 * R2, R3 (security): whoever reaches Temporal cannot send a re-activation's decision again. A resume carries the
 * admin's choice encrypted, so it cannot be forged, but one copied out of a call's history and signalled again
 * resumed suspended calls as that admin once chose: the same call suspended again, or any other suspended call.
 * Now a call accepts a resume only for the run and suspension it was sent for; a copy is refused, logged and
 * counted, the call stays suspended, and a genuine re-activation still resumes it.
 */
import { Connection } from '@temporalio/client';
import pino from 'pino';
import { createMetrics } from '../../observability/metrics';
import { callWorkflowId } from '../../temporal/contracts';
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

/** What the worker counted in callmatrix_workflow_inputs_refused_total{kind="resume"}. */
const refusedResumes = async () =>
  (await metrics.registry.getSingleMetric('callmatrix_workflow_inputs_refused_total')!.get()).values.find((sample) => sample.labels.kind === 'resume')?.value ?? 0;

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

  const refusedBefore = await refusedResumes();
  for (const call of [resumedBefore, other]) await sendCopiedResume(connection.workflowService, resumedBefore.workflowId, call.workflowId);

  await eventually(async () => ((await refusedResumes()) === refusedBefore + 2 ? true : undefined));
  for (const call of [resumedBefore, other]) expect((await h.status(call.callId)).status).toBe('suspended');
  expect(await h.records('Leads')).toEqual([]);

  // The admin's next re-activation resumes both, each written once.
  const { workflowId } = await startReactivation(h.temporal, { taskQueue: h.taskQueue, resend: true });
  expect(await h.temporal.workflow.getHandle(workflowId).result()).toMatchObject({ resumed: 2 });
  const leads = await h.records('Leads');
  for (const call of [resumedBefore, other]) {
    expect((await h.result(call.callId)).status).toBe('written');
    expect(leads.filter((lead) => lead.Phone === call.phone)).toHaveLength(1);
  }
});
