/** The lifecycle of a call workflow, as the Temporal UI, `callmatrix calls` and the status query show it. */
import type { CallPlan } from '../matrix/plan';

export const CALL_STATUSES = [
  /** Events are arriving; the call has not ended yet. */
  'in-progress',
  /** The matrix is being applied to the CRM. */
  'writing',
  /** Waiting for the Zoho authorisation to be repaired (R1, R3). */
  'suspended',
  /** Everything the matrix planned is in the CRM. */
  'written',
  /** Nothing to write (internal call, outgoing call to an unknown number, …). */
  'ignored',
  /** Suspended, then the admin re-activated without "send data to the CRM after re-activation" (R2). */
  'discarded',
  /** Suspended, and older than the resend window when the integration was re-activated (R2). */
  'expired',
  /** The CRM refused a write for a reason a retry cannot fix; the reason is in the workflow's failure. */
  'failed',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/**
 * How `callmatrix calls` shows a run that Temporal itself closed: an operator's terminate, the history size limit
 * or a run timeout. The workflow has no chance to set its CallStatus then, so these come from ExecutionStatus.
 */
export const STATUSES_SET_BY_TEMPORAL = { terminated: 'Terminated', 'timed-out': 'TimedOut' } as const;
export type ListedCallStatus = CallStatus | keyof typeof STATUSES_SET_BY_TEMPORAL;
export const LISTED_CALL_STATUSES: readonly ListedCallStatus[] = [...CALL_STATUSES, ...(Object.keys(STATUSES_SET_BY_TEMPORAL) as (keyof typeof STATUSES_SET_BY_TEMPORAL)[])];
/** Statuses of a call that a later event or `callmatrix calls retry` runs again (L2, L3). */
export const RETRYABLE_STATUSES: readonly ListedCallStatus[] = ['failed', 'terminated', 'timed-out'];

export interface WrittenRecord {
  operation: string;
  module: string;
  id: string;
  /** False when the record already existed (a retried write, or a duplicate Zoho pointed to). */
  created: boolean;
}

export interface CallStatusView {
  status: CallStatus;
  eventsReceived: number;
  /** How many times the call was suspended for broken authorisation. */
  suspensions: number;
  plan?: CallPlan;
  /** In order; a recording that arrived after the call was written adds its updates (`late-recording-…`, C2). */
  written: WrittenRecord[];
  /**
   * While the call waits for an earlier call of the same caller to finish its writes (M17), and which call holds
   * the caller's turn, when the caller's queue said so.
   */
  waitingForCallerTurn?: { heldBy?: string };
}
