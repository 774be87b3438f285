/**
 * Has this deployment's long-lived workflows — the callers' shards and the missed-call round robin — continue as
 * new (`startNewRunSignal`). Every worker does it at start. A long-lived run keeps the payloads of every key it was
 * written under, and a worker without one of those keys cannot replay it: a shard started before a key rotation
 * would stop at its next workflow task once the old key is dropped, and the calls of its callers with it. Renewed
 * at the restart that rotates the key, those runs hold only the new key's payloads, and the old key can go once the
 * calls started before the rotation have ended (README "Rotating the encryption key").
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { startNewRunSignal, workflowTypes } from './contracts';

/** Signals each running long-lived workflow of `taskQueue`; resolves with how many were asked. */
export async function renewLongLivedWorkflows(temporal: Client, taskQueue: string): Promise<number> {
  const query = `TaskQueue = "${taskQueue}" AND WorkflowType IN ("${workflowTypes.callerQueueShard}", "${workflowTypes.distribution}") AND ExecutionStatus = "Running"`;
  let asked = 0;
  for await (const execution of temporal.workflow.list({ query })) {
    try {
      await temporal.workflow.getHandle(execution.workflowId).signal(startNewRunSignal);
      asked += 1;
    } catch (error) {
      // Ended since it was listed: its next run, if any, starts under the current keys anyway.
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  return asked;
}
