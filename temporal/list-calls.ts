/**
 * The calls as Temporal's visibility lists them (CallStatus and the other search attributes), newest first: what
 * `callmatrix calls` prints; the worker's running-calls gauges read the same runs (observability/running-calls.ts).
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { CALL_STATUSES, RETRYABLE_STATUSES, STATUSES_SET_BY_TEMPORAL, type CallStatus, type ListedCallStatus } from './call-status';
import { searchAttributes, workflowTypes } from './contracts';

export interface CallRow {
  workflowId: string;
  callId: string;
  startedAt: string;
  status: string;
  rule: string;
  scenario: string;
  outcome: string;
}

export interface ListOptions {
  status?: ListedCallStatus;
  /** At most this many, the newest; undefined: every matching call, read in one pass. */
  limit?: number;
  /** Only calls of this deployment (CALLMATRIX_TASK_QUEUE): one Temporal namespace may serve several. */
  taskQueue?: string;
  /** Only calls that started at or after this time. */
  since?: Date;
  /** Only calls that started before this time. */
  until?: Date;
  /** Only the calls of the client with this CallerKey; null: only calls that have none. */
  callerKey?: string | null;
  /** Only the calls whose run is still open (whatever their CallStatus: a written call may wait for its recording). */
  running?: boolean;
}

/** Statuses a call keeps only while its run is open: a run Temporal closed keeps the one it had then. */
export const OPEN_STATUSES: readonly ListedCallStatus[] = ['in-progress', 'writing', 'suspended'];

function statusFilter(status: ListedCallStatus): string {
  const closed = Object.entries(STATUSES_SET_BY_TEMPORAL).filter(([, { listed }]) => listed === status);
  const byExecution = closed.length > 0 ? `ExecutionStatus IN (${closed.map(([name]) => `"${name}"`).join(', ')})` : '';
  if (!CALL_STATUSES.includes(status as CallStatus)) return byExecution;
  const filter = `${searchAttributes.status.name} = "${status}"`;
  // `failed`: the runs the workflow marked failed, and those that failed before it could (their CallStatus is older).
  if (byExecution) return `(${filter} OR ${byExecution})`;
  return OPEN_STATUSES.includes(status) ? `${filter} AND ExecutionStatus = "Running"` : filter;
}

/** The status a run shows: its execution status's, when the run closed without setting its own; else the one it set. */
function statusOf(executionStatus: string, callStatus: unknown): string {
  const closed = Object.values(STATUSES_SET_BY_TEMPORAL).find(({ sdk }) => sdk === executionStatus);
  return closed ? closed.listed : String(callStatus ?? '');
}

/** Whether `runId` is still the call's latest run: a later event or a retry replaces a failed run (L2, L3). */
async function isCurrentRun(client: Client, workflowId: string, runId: string): Promise<boolean> {
  return (await client.workflow.getHandle(workflowId).describe()).runId === runId;
}

/** How far back the listing looks first, then next, before it reads the whole history: most listings stop early. */
const WINDOWS_HOURS = [1, 24, 24 * 7, 24 * 30, 24 * 365];

/**
 * The calls, newest first by when the call started (CallStartedAt), at most `limit`. Visibility lists runs in its
 * own order (open ones first, then by close time) and SQL visibility cannot order by a search attribute, so the
 * matching runs are read, then sorted. Not the whole history: the calls of the last hour, then of a wider window,
 * until a window holds `limit` calls — the newest `limit` are then among them, since every call outside started
 * earlier. Every call's runs carry CallStartedAt from their start (temporal/deliver-call-event.ts).
 */
export async function listCalls(client: Client, options: ListOptions): Promise<CallRow[]> {
  const { limit, since } = options;
  if (limit === undefined) return listCallsSince(client, options);
  const end = options.until?.getTime() ?? Date.now();
  for (const hours of WINDOWS_HOURS) {
    const from = new Date(end - hours * 3_600_000);
    if (since && since >= from) break;
    const rows = await listCallsSince(client, { ...options, since: from });
    if (rows.length >= limit) return rows;
  }
  return listCallsSince(client, options);
}

/** The call workflows' runs `options` select, as visibility lists them (every run of a call, in its own order). */
export function callRuns(client: Client, options: Omit<ListOptions, 'limit'>): AsyncIterable<WorkflowExecutionInfo> {
  const filters = [`WorkflowType = "${workflowTypes.call}"`];
  if (options.status) filters.push(statusFilter(options.status));
  if (options.running) filters.push('ExecutionStatus = "Running"');
  if (options.taskQueue) filters.push(`TaskQueue = "${options.taskQueue}"`);
  if (options.since) filters.push(`${searchAttributes.startedAt.name} >= "${options.since.toISOString()}"`);
  if (options.until) filters.push(`${searchAttributes.startedAt.name} < "${options.until.toISOString()}"`);
  if (options.callerKey !== undefined) filters.push(options.callerKey === null ? `${searchAttributes.callerKey.name} IS NULL` : `${searchAttributes.callerKey.name} = "${options.callerKey}"`);
  return client.workflow.list({ query: filters.join(' AND '), pageSize: 1000 });
}

async function listCallsSince(client: Client, options: ListOptions): Promise<CallRow[]> {
  const runs: (CallRow & { runId: string })[] = [];
  for await (const execution of callRuns(client, options)) {
    const attribute = (key: (typeof searchAttributes)[keyof typeof searchAttributes]) => execution.typedSearchAttributes.get(key);
    runs.push({
      workflowId: execution.workflowId,
      runId: execution.runId,
      callId: String(attribute(searchAttributes.callId) ?? ''),
      startedAt: ((attribute(searchAttributes.startedAt) as Date | undefined) ?? execution.startTime).toISOString(),
      status: statusOf(execution.status.name, attribute(searchAttributes.status)),
      rule: String(attribute(searchAttributes.rule) ?? ''),
      scenario: String(attribute(searchAttributes.scenario) ?? ''),
      outcome: String(attribute(searchAttributes.outcome) ?? ''),
    });
  }
  // Stable: the runs of one call (one start) keep visibility's order, its latest run first.
  runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const rows: CallRow[] = [];
  const seen = new Set<string>();
  for (const { runId, ...row } of runs) {
    if (rows.length >= (options.limit ?? Infinity)) break;
    // Visibility lists every run of a call: show each call once, as its latest run stands.
    if (seen.has(row.workflowId)) continue;
    if (RETRYABLE_STATUSES.includes(row.status as ListedCallStatus) && !(await isCurrentRun(client, row.workflowId, runId))) continue;
    seen.add(row.workflowId);
    rows.push(row);
  }
  return rows;
}
