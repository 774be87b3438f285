/**
 * Everything the webhook shim, the worker and the workflows must agree on: the workflow's signals and queries,
 * workflow ids and the search attributes the Temporal UI filters calls by. (The task queue is a setting:
 * CALLMATRIX_TASK_QUEUE in config/environment.ts.)
 * Imported by workflow code, so it uses only workflow-safe modules.
 */
import { defineSearchAttributeKey, SearchAttributeType, type Duration } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CallEvent } from '../common/call-event';
import type { CallStatusView } from './call-status';

/**
 * The workflows as their clients see them: type names and signatures, so that starting one needs no workflow
 * code. The scenario tests start each one by these names.
 */
export const workflowTypes = {
  call: 'callWorkflow',
  reactivation: 'reactivationWorkflow',
  distribution: 'distributionWorkflow',
  /** One workflow per caller, before #15's shards: still registered for the queues that ran before the upgrade. */
  callerTurns: 'callerTurnsWorkflow',
  callerQueueShard: 'callerQueueShardWorkflow',
  reconciliation: 'reconciliationWorkflow',
} as const;
export interface CallWorkflowInput {
  /**
   * This run replaces a run of the same call that failed, was terminated or timed out (L2): that run may have
   * written some records, so every create first looks for its idempotency marker.
   */
  replacesClosedRun?: boolean;
}
export type CallWorkflow = (input?: CallWorkflowInput) => Promise<CallStatusView>;
export interface ReactivationInput {
  resend: boolean;
  /**
   * Issued with this start in the activation store (`startReactivation`): only the run that claims it first may
   * resume calls, so a start copied out of a history and sent again resumes nothing. Absent in starts before.
   */
  ticket?: string;
  /**
   * How long a resumed call may stay silent before Temporal is asked whether it still runs (an operator may have
   * terminated it); a Temporal duration, default 2 minutes.
   */
  silentCallCheck?: Duration;
}
export interface ReactivationReport {
  windowStart: string;
  resumed: number;
}
export type ReactivationWorkflow = (input: ReactivationInput) => Promise<ReactivationReport>;

/** How a call the webhooks missed was found in the telephony's call log (L1): the CallRecoveredBy attribute. */
export type RecoverySource = 'reconciliation' | 'backfill';
/** What one comparison of the call log with the call workflows found; counts and call ids only, no call data. */
export interface ReconciliationReport {
  from: string;
  to: string;
  /** Calls the log lists for the window. */
  seen: number;
  /** Calls that already have their call workflow (running or finished). */
  alreadyWritten: number;
  /** Calls that had none and were started from the log (or would be, in a dry run). */
  recovered: number;
  /** Log entries that are not calls callmatrix can process (the adapter's reasons are logged). */
  ignored: number;
  /** Calls whose workflow failed, was terminated or timed out, or that could not be started. */
  failed: number;
  /** The run's long-call sweep, when it made one: the long calls that started before `from` (`longCallSweep`). */
  longCalls?: ReconciliationReport;
}
/** One scheduled reconciliation run (L1); its window comes from the settings and the run's start time. */
export type ReconciliationWorkflow = () => Promise<ReconciliationReport>;
/** One Schedule per deployment, visible in the Temporal UI under Schedules. */
export const reconciliationScheduleId = (taskQueue: string): string => `callmatrix-reconciliation:${taskQueue}`;

/**
 * The heartbeat timeout of the call's activities (its writes, its turn's join, the round robin's take). The worker
 * heartbeats every activity scheduled with it while it runs (worker/heartbeat-while-running.ts), so a worker that
 * dies in the middle of one is seen gone after this long, not after the start-to-close timeout. Activities that
 * report progress in their heartbeats (reconciliation) use a timeout of their own and heartbeat themselves.
 */
export const KEEP_ALIVE_HEARTBEAT_TIMEOUT_MS = 10_000;

/** A telephony event of the call: the first one starts the workflow (signal-with-start), the others follow. */
export const callEventSignal = defineSignal<[CallEvent]>('callEvent');
/** What the workflow knows and did so far: its status, scenario, plan and the records it wrote. */
export const callStatusQuery = defineQuery<CallStatusView>('callStatus');

/** The admin's re-activation decision, sent to each suspended call in call order (R2, R3). */
export interface ResumeDecision {
  /** "Send data to the CRM after re-activation": false ends suspended calls as discarded. */
  resend: boolean;
  /** ISO-8601 start of the resend window: calls that started earlier end as expired. */
  windowStart: string;
  /** The re-activation run that resumes the call: the call tells it by `resumedCallSignal` how the resumption ended. */
  reactivation: { workflowId: string; runId: string };
  /** The CRM account's IANA zone the window is counted in: a call's wall-clock start is read in it too. */
  timeZone: string;
}
/**
 * The suspension a resume was sent for: the call's run and how many times it had suspended then (its status
 * view's `suspensions`). The call accepts a resume only for the suspension it is in, so a decision copied out of
 * a history and sent again — to another call, a reset run, or the same call suspended again — is refused.
 */
export interface SuspensionResumed {
  runId: string;
  suspension: number;
}
/** A resume as the `resumeCall` activity sends it. Sent before bound resumes, `suspension` is absent. */
export interface ResumeOfSuspension extends ResumeDecision {
  suspension?: SuspensionResumed;
}
export const resumeSignal = defineSignal<[ResumeOfSuspension]>('resume');

/** From a resumed call to its re-activation: the call has finished, or it was suspended again (R3). */
export interface ResumedCallOutcome {
  callWorkflowId: string;
  suspendedAgain: boolean;
}
export const resumedCallSignal = defineSignal<[ResumedCallOutcome]>('resumedCall');

/**
 * Takes the next turn of the missed-call round robin (O4); the key makes a retried take return the same turn.
 * No longer sent (`takeTurnsUpdate` is): kept while histories that took turns one by one may replay.
 */
export const takeTurnUpdate = defineUpdate<number, [string]>('takeTurn');
/** Takes the next turns of the round robin for calls, in order; a turn per call, a retried call's the same. */
export const takeTurnsUpdate = defineUpdate<number[], [string[]]>('takeTurns');
/** One round robin and one re-activation per deployment: a deployment is a task queue in a namespace. */
export const distributionWorkflowId = (taskQueue: string): string => `callmatrix-missed-call-distribution:${taskQueue}`;
export const reactivationWorkflowId = (taskQueue: string): string => `callmatrix-reactivation:${taskQueue}`;

/**
 * A call's place in its caller's queue: the run (a reset or a re-run is another run) and which of the run's turns
 * (the before-call and the after-call writes each take one). No phone number: the queue is found by a keyed hash.
 */
export interface CallerTurnHolder {
  workflowId: string;
  runId: string;
  request: number;
}
/** Joins a caller's own queue (before #15's shards); true when the turn is the call's at once, otherwise `callerTurnSignal` says when. */
export const queueForCallerTurnUpdate = defineUpdate<boolean, [CallerTurnHolder]>('queueForCallerTurn');
/**
 * The queue's answer to `joinCallerTurnsUpdate`: whether the turn is the call's at once, and when (the queue's
 * workflow time, epoch ms) a turn last ended in it — null when none can have ended lately. A lookup sent before
 * the join sees every record of the caller's earlier calls if it was sent after that moment (M17).
 */
export interface CallerTurnAnswer {
  granted: boolean;
  lastTurnEndedAt: number | null;
  /** The call workflow holding the turn when it is not the joining call's (the shards say; older queues do not). */
  heldBy?: string;
}
/** `queueForCallerTurnUpdate` that also says when a turn last ended, for a lookup made alongside the join. */
export const joinCallerTurnsUpdate = defineUpdate<CallerTurnAnswer, [CallerTurnHolder]>('joinCallerTurns');
/** A call joining its caller's queue in the caller's shard: the caller by its keyed hash. */
export interface CallerQueueJoin {
  callerKey: string;
  holder: CallerTurnHolder;
}
/** Joins calls to their callers' queues in one shard, in order; an answer per join (`joinCallerTurnsUpdate`'s). */
export const joinCallerQueueUpdate = defineUpdate<CallerTurnAnswer[], [CallerQueueJoin[]]>('joinCallerQueue');
/**
 * To a long-lived workflow (a callers' shard, the missed-call round robin): continue as new now, so that the new
 * run holds only payloads under the keys of the worker that starts it. Every worker sends it at start
 * (temporal/renew-long-lived-workflows.ts), which is what lets an old encryption key be dropped after a rotation.
 */
export const startNewRunSignal = defineSignal('startNewRun');
/** From the caller's queue to a waiting call: its turn `request` has come. */
export const callerTurnSignal = defineSignal<[number]>('callerTurn');
/** From a call to its caller's queue: the call is done with its turn (or gives it up while suspended). */
export const callerTurnDoneSignal = defineSignal<[CallerTurnHolder]>('callerTurnDone');
/** A turn to give up, by whoever ends it: the call workflow, or the turn's last write once it committed. */
export interface CallerTurnToGiveUp {
  queueWorkflowId: string;
  holder: CallerTurnHolder;
}
/**
 * Before #15's shards: one queue per caller and deployment, named by a keyed hash of the caller's normalised
 * number (HMAC under the deployment's caller-queue key, temporal/caller-key.ts): the number never appears in clear,
 * and without the key it cannot be guessed back.
 */
export const callerTurnsWorkflowId = (taskQueue: string, callerKey: string): string => `callmatrix-caller:${taskQueue}:${callerKey}`;
/**
 * How many shard workflows hold the callers' queues of a deployment. Each takes a few workflow tasks per call, so
 * 16 carry far more calls than a worker writes. Fixed: with another count, the calls of one caller in flight
 * across the change would sit in two shards, and two of them could hold a turn at once.
 */
export const CALLER_QUEUE_SHARDS = 16;
/** The shard workflow holding a caller's queue, by the caller's keyed hash (32 hex digits). */
export const callerQueueShardWorkflowId = (taskQueue: string, callerKey: string): string =>
  `callmatrix-callers:${taskQueue}:${Number.parseInt(callerKey.slice(0, 8), 16) % CALLER_QUEUE_SHARDS}`;

/**
 * One workflow per call: the id is derived from the provider and the provider's call id only, so every
 * re-sent webhook of the call lands in the same workflow, and no phone number reaches Temporal's index.
 */
export function callWorkflowId(provider: string, callId: string): string {
  return `call:${provider}:${callId}`;
}

/** A call as a person names it: its workflow id (`call:<provider>:<call id>`, as `callmatrix calls` prints it) or the provider's call id. */
export function namedCallWorkflowId(provider: string, callOrWorkflowId: string): string {
  return callOrWorkflowId.startsWith('call:') ? callOrWorkflowId : callWorkflowId(provider, callOrWorkflowId);
}

/** Search attributes of a call workflow. None carries a phone number: they are indexed in plain text. */
export const searchAttributes = {
  callId: defineSearchAttributeKey('CallId', SearchAttributeType.KEYWORD),
  provider: defineSearchAttributeKey('CallProvider', SearchAttributeType.KEYWORD),
  direction: defineSearchAttributeKey('CallDirection', SearchAttributeType.KEYWORD),
  outcome: defineSearchAttributeKey('CallOutcome', SearchAttributeType.KEYWORD),
  scenario: defineSearchAttributeKey('CallScenario', SearchAttributeType.KEYWORD),
  rule: defineSearchAttributeKey('CallRule', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('CallStatus', SearchAttributeType.KEYWORD),
  /** When the call started: orders suspended calls for the resend (R2). */
  startedAt: defineSearchAttributeKey('CallStartedAt', SearchAttributeType.DATETIME),
  /** Set on a call the webhooks missed and the call log revealed (L1): `reconciliation` or `backfill`. */
  recoveredBy: defineSearchAttributeKey('CallRecoveredBy', SearchAttributeType.KEYWORD),
  /**
   * The client's number keyed (temporal/caller-key.ts), not the number: finds a client's calls in the UI and in
   * `callmatrix calls --phone`, which prints the value for a number. Set when the call's first event starts it.
   */
  callerKey: defineSearchAttributeKey('CallerKey', SearchAttributeType.KEYWORD),
} as const;

export const ALL_SEARCH_ATTRIBUTES = Object.values(searchAttributes);

