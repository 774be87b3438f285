/**
 * How a call workflow tells its worker what became of the call, for the outcome log line and the calls metrics.
 * A sink, not an activity: nothing goes into the call's history, and a replay does not report the outcome again.
 * Imported by workflow code, so it uses only workflow-safe modules.
 */
import type { Sinks } from '@temporalio/workflow';
import type { CallStatus, WrittenRecord } from './call-status';

/** The statuses reported: where a call ends, and `suspended`, which an operator must hear about too. */
export const REPORTED_STATUSES: readonly CallStatus[] = ['written', 'ignored', 'failed', 'suspended', 'discarded', 'expired'];

export interface CallOutcome {
  status: CallStatus;
  /** The telephony's call id. */
  callId?: string;
  /** Unknown when the call ended before the matrix decided (discarded, expired, failed early). */
  rule?: string;
  scenario?: string;
  records: WrittenRecord[];
}

export interface CallOutcomeSinks extends Sinks {
  callOutcome: {
    reached(outcome: CallOutcome): void;
  };
}
