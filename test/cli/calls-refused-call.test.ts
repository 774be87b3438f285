/**
 * `callmatrix calls` on a call whose run failed outside the workflow's own catch: a client without
 * CALLMATRIX_ENCRYPTION_KEY (a shim deployed without it) sent the call data unencrypted, so the worker refuses it and
 * fails the run before any workflow code runs (temporal/refuse-unauthenticated-input.ts). The run keeps the CallStatus the shim started it with, in-progress;
 * the listing shows it failed, and `calls retry --status failed`, run as an operator runs it, retries it (L3).
 */
import { Client } from '@temporalio/client';
import { listCalls } from '../../temporal/list-calls';
import { ringostatAdapter } from '../../telephony/ringostat';
import { callWorkflowId } from '../../temporal/contracts';
import { deliverCallEvent } from '../../temporal/deliver-call-event';
import { eventually, incomingCall, TIME_ZONE } from '../scenarios/scenario-kit';
import { startCallHarness, type CallHarness } from '../support/call-harness';
import { useCallmatrixCli } from '../support/callmatrix-cli';

const cli = useCallmatrixCli();

let h: CallHarness;
beforeAll(async () => {
  h = await startCallHarness();
});
afterAll(async () => h?.stop());

/** The call's end, delivered by a shim without CALLMATRIX_ENCRYPTION_KEY; its run fails. */
async function refusedCall(): Promise<string> {
  const callId = h.uniqueCallId();
  const converted = ringostatAdapter.toCallEvent({ moment: 'end', parameters: incomingCall(callId), receivedAt: new Date(), timeZone: TIME_ZONE });
  if (!converted.ok) throw new Error(converted.errors.join('; '));
  // The harness's connection, without callmatrix's data converter.
  const shimWithoutKey = new Client({ connection: h.temporal.connection, namespace: 'default' });
  expect(await deliverCallEvent(shimWithoutKey, h.taskQueue, converted.event)).toMatchObject({ outcome: 'delivered' });
  await expect(h.result(callId)).rejects.toThrow();
  // Visibility is written after the run closes: wait until it lists the run closed.
  const closed = `WorkflowId = "${callWorkflowId('ringostat', callId)}" AND ExecutionStatus != "Running"`;
  await eventually(async () => ((await h.temporal.workflow.count(closed)).count > 0 ? true : undefined));
  return callId;
}

it('L3: a call whose data the worker refused is listed as failed, under `calls --status failed` too, and `calls retry --status failed` retries it', async () => {
  const callId = await refusedCall();
  const workflowId = callWorkflowId('ringostat', callId);

  expect(await listCalls(h.temporal, { status: 'failed', limit: 100, taskQueue: h.taskQueue })).toEqual([expect.objectContaining({ workflowId, callId, status: 'failed' })]);
  expect(await listCalls(h.temporal, { limit: 100, taskQueue: h.taskQueue })).toEqual([expect.objectContaining({ workflowId, status: 'failed' })]);

  const { runId } = await h.temporal.workflow.getHandle(workflowId).describe();
  const { stdout } = await cli.run(['calls', 'retry', '--status', 'failed'], {
    env: { ...process.env, CALLMATRIX_TASK_QUEUE: h.taskQueue, TEMPORAL_NAMESPACE: 'default', LOG_LEVEL: 'error' },
  });
  expect(stdout).toBe(`${workflowId}: retried: follow it with \`callmatrix calls\`\n`);
  expect((await h.temporal.workflow.getHandle(workflowId).describe()).runId).not.toBe(runId);
});
