/**
 * L1: a call-log API that cannot be reached fails a scheduled reconciliation run's activity as CallLogUnreachable,
 * which Temporal retries (unlike CallLogRefused, a wrong key, which ends the run at once): the run stays open, its
 * activity on its next attempt.
 */
import crypto from 'node:crypto';
import { workflowTypes } from '../../temporal/contracts';
import { ringostatAdapter } from '../../telephony/ringostat';
import { startCallHarness, type CallHarness } from '../support/call-harness';
import { eventually } from '../scenarios/scenario-kit';
import { useRefusedPorts } from '../support/refused-ports';

const refusedPort = useRefusedPorts();

let h: CallHarness;
beforeAll(async () => {
  const apiUrl = `http://127.0.0.1:${await refusedPort()}`;
  h = await startCallHarness({ callLog: ringostatAdapter.openCallLog!({ apiUrl, apiKey: 'a-key', retryDelayMs: 10 }) });
});
afterAll(async () => h?.stop());

it('L1: an unreachable call log fails the attempt as CallLogUnreachable, retryable: the activity is tried again', async () => {
  const run = await h.temporal.workflow.start(workflowTypes.reconciliation, { taskQueue: h.taskQueue, workflowId: `test-reconciliation-${crypto.randomUUID()}` });
  try {
    const pending = await eventually(async () => {
      const [activity] = (await run.describe()).raw.pendingActivities ?? [];
      return activity?.lastFailure ? activity : undefined;
    });
    expect(pending.attempt).toBe(2);
    // The message is encrypted with the call data's key (the failure's encoded attributes); the type is not.
    expect(pending.lastFailure).toMatchObject({ applicationFailureInfo: { type: 'CallLogUnreachable', nonRetryable: false } });
    expect((await run.describe()).status.name).toBe('RUNNING');
  } finally {
    await run.terminate('test over');
  }
});
