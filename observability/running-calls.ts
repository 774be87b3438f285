/**
 * The calls whose workflow still runs, by CallStatus, and when the oldest of each status started: what the
 * running-calls gauges show ([Operations]). A call can stay open for long for reasons no other gauge shows: waiting
 * for an end event that never comes (`calls.endEventTimeoutMinutes`), for its caller's earlier call (M17), for its
 * recording (C2, status `written`). Read from Temporal's visibility with the query `callmatrix calls` lists with.
 */
import type { Client } from '@temporalio/client';
import { CALL_STATUSES, type CallStatus } from '../temporal/call-status';
import { searchAttributes } from '../temporal/contracts';
import { callRuns, OPEN_STATUSES } from '../temporal/list-calls';
import type { RunningCalls, RunningCallsOfStatus } from './metrics';

/**
 * The running calls of this deployment (its task queue); each status a call keeps only while open is reported, 0 or
 * not. Ages count from the run's start — the call's first event, or its recovery from the call log — not from the
 * call's own start: a call recovered hours after it rang has not been stuck for hours.
 */
export async function runningCalls(client: Client, taskQueue: string): Promise<RunningCalls> {
  const byStatus = new Map<CallStatus, RunningCallsOfStatus>(OPEN_STATUSES.map((status) => [status as CallStatus, { count: 0 }]));
  for await (const run of callRuns(client, { taskQueue, running: true })) {
    const status = run.typedSearchAttributes.get(searchAttributes.status) as CallStatus | undefined;
    // Labels take only the statuses callmatrix sets: a bounded set, never a value read from elsewhere.
    if (!status || !CALL_STATUSES.includes(status)) continue;
    const { count, oldestStartedAt } = byStatus.get(status) ?? { count: 0 };
    byStatus.set(status, { count: count + 1, oldestStartedAt: oldestStartedAt && oldestStartedAt <= run.startTime ? oldestStartedAt : run.startTime });
  }
  return byStatus;
}
