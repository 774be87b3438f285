/**
 * Everything the webhook shim, the worker and the workflows must agree on: the workflow's signals and queries,
 * workflow ids and the search attributes the Temporal UI filters calls by. (The task queue is a setting:
 * CALLMATRIX_TASK_QUEUE in config/environment.ts.)
 * Imported by workflow code, so it uses only workflow-safe modules.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
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
  reconciliation: 'reconciliationWorkflow',
} as const;
export type CallWorkflow = () => Promise<CallStatusView>;
export interface ReactivationInput {
  resend: boolean;
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
}
/** One scheduled reconciliation run (L1); its window comes from the settings and the run's start time. */
export type ReconciliationWorkflow = () => Promise<ReconciliationReport>;
/** One Schedule per deployment, visible in the Temporal UI under Schedules. */
export const reconciliationScheduleId = (taskQueue: string): string => `callmatrix-reconciliation:${taskQueue}`;

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
}
export const resumeSignal = defineSignal<[ResumeDecision]>('resume');

/** Takes the next turn of the missed-call round robin (O4); the key makes a retried take return the same turn. */
export const takeTurnUpdate = defineUpdate<number, [string]>('takeTurn');
/** One round robin and one re-activation per deployment: a deployment is a task queue in a namespace. */
export const distributionWorkflowId = (taskQueue: string): string => `callmatrix-missed-call-distribution:${taskQueue}`;
export const reactivationWorkflowId = (taskQueue: string): string => `callmatrix-reactivation:${taskQueue}`;

/**
 * One workflow per call: the id is derived from the provider and the provider's call id only, so every
 * re-sent webhook of the call lands in the same workflow, and no phone number reaches Temporal's index.
 */
export function callWorkflowId(provider: string, callId: string): string {
  return `call:${provider}:${callId}`;
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
} as const;

export const ALL_SEARCH_ATTRIBUTES = Object.values(searchAttributes);

