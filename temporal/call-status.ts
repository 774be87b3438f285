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
 * How `callmatrix calls` shows a run closed without the workflow setting its final CallStatus, which then keeps the
 * one it had (in-progress, say): Temporal closed it itself (an operator's terminate, the history size limit, a run
 * timeout), or it failed or was canceled outside the workflow's own catch — call data the codec refused fails the
 * run before any workflow code runs (refuse-unauthenticated-input.ts) — and is `failed`, to be retried like the
 * runs the workflow marked failed (L3). Keyed by ExecutionStatus as visibility queries name it; `sdk` is the
 * client's name for it (`status.name`).
 */
export const STATUSES_SET_BY_TEMPORAL = {
  Terminated: { sdk: 'TERMINATED', listed: 'terminated' },
  TimedOut: { sdk: 'TIMED_OUT', listed: 'timed-out' },
  Failed: { sdk: 'FAILED', listed: 'failed' },
  Canceled: { sdk: 'CANCELLED', listed: 'failed' },
} as const;
export type ListedCallStatus = CallStatus | (typeof STATUSES_SET_BY_TEMPORAL)[keyof typeof STATUSES_SET_BY_TEMPORAL]['listed'];
export const LISTED_CALL_STATUSES: readonly ListedCallStatus[] = [
  ...new Set<ListedCallStatus>([...CALL_STATUSES, ...Object.values(STATUSES_SET_BY_TEMPORAL).map((closed) => closed.listed)]),
];
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
