/**
 * How many calls are suspended now and since when, from Temporal's visibility (the CallStatus search attribute):
 * what the suspended-calls gauges show. The workflows hold the truth; the worker only asks on each scrape.
 */
import type { Client } from '@temporalio/client';
import { searchAttributes, workflowTypes } from '../temporal/contracts';
import type { SuspendedCalls } from './metrics';

export async function suspendedCalls(client: Client): Promise<SuspendedCalls> {
  const query = `WorkflowType = "${workflowTypes.call}" AND ExecutionStatus = "Running" AND ${searchAttributes.status.name} = "suspended"`;
  let count = 0;
  let oldestStartedAt: Date | undefined;
  for await (const execution of client.workflow.list({ query })) {
    count += 1;
    const startedAt = execution.typedSearchAttributes.get(searchAttributes.startedAt) ?? execution.startTime;
    if (!oldestStartedAt || startedAt < oldestStartedAt) oldestStartedAt = startedAt;
  }
  return { count, oldestStartedAt };
}
