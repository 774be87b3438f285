/**
 * The per-caller queues that ran before #15's shards (workflows/caller-turns-workflow.ts). Calls in flight across
 * the upgrade may hold or wait for a turn in one; a new call of that caller joins the same queue, so two calls of
 * one caller never take turns in two queues at once (M17). This version starts no such queue, so the worker lists
 * the running ones from Temporal's visibility, again every `refreshMs` while any runs, and never once none does.
 *
 * Not covered: a worker of the old version still taking new calls while this one runs (a rolling upgrade) may start
 * a per-caller queue after the list was taken. Stop the old workers before starting new ones (README, "Upgrading").
 */
import type { Client } from '@temporalio/client';
import { workflowTypes } from '../temporal/contracts';

/** Whether the per-caller queue named `workflowId` was running when last listed. */
export type LegacyCallerQueueRunning = (workflowId: string) => Promise<boolean>;

export function legacyCallerQueues(temporal: Client, taskQueue: string, refreshMs = 30_000): LegacyCallerQueueRunning {
  const query = `WorkflowType = "${workflowTypes.callerTurns}" AND ExecutionStatus = "Running" AND TaskQueue = "${taskQueue}"`;
  let running: Promise<Set<string>> | undefined;
  let listedAt = 0;
  let noneRuns = false;
  const list = async (): Promise<Set<string>> => {
    const ids = new Set<string>();
    for await (const execution of temporal.workflow.list({ query })) ids.add(execution.workflowId);
    noneRuns = ids.size === 0;
    return ids;
  };
  return async (workflowId) => {
    if (noneRuns) return false;
    if (!running || Date.now() - listedAt > refreshMs) {
      listedAt = Date.now();
      // A failed listing is not kept: the join fails, and its retry lists again.
      running = list().catch((error: unknown) => {
        running = undefined;
        throw error;
      });
    }
    return (await running).has(workflowId);
  };
}
