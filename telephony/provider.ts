import { ActionableError } from '../config/config-error';
import type { CallEvent, CallMoment } from '../common/call-event';

/** What a telephony adapter receives: every parameter of the webhook, flattened, under the product's names. */
export interface WebhookInput {
  moment: CallMoment;
  parameters: Record<string, string>;
  receivedAt: Date;
  /** IANA zone the telephony writes times without an offset in (`telephony.timeZone`); unset: the CRM's zone, later. */
  timeZone?: string;
}

/**
 * An optional parameter the adapter could not read (`billsec: forty`): left out, so the call is still processed
 * without it. `problem` says what was expected, never the value, which may be personal data.
 */
export interface DroppedField {
  field: string;
  problem: string;
}

/**
 * The result of reading a webhook: the event and the optional parameters left out of it, or every reason it is
 * not one (shown to the sender in a 400: its call id or another required parameter is unreadable).
 */
export type AdapterResult = { ok: true; event: CallEvent; dropped: DroppedField[] } | { ok: false; errors: string[] };

/** Translates one telephony's webhooks into the product's call events. A new provider is a new adapter. */
export interface TelephonyAdapter {
  readonly provider: string;
  /** The parameters the adapter reads (product names): a call event keeps these and those the settings name. */
  readonly parameters: readonly string[];
  toCallEvent(input: WebhookInput): AdapterResult;
  /** The provider's call log, for reconciliation and backfill (L1); absent when the provider has none. */
  openCallLog?(access: CallLogAccess): CallLog;
}

/** A stretch of time, `from` inclusive, `to` exclusive. */
export interface TimeWindow {
  from: Date;
  to: Date;
}

/** One answer of a call log: the calls that started in `window`, each read as an `end` event (or why not). */
export interface CallLogPage {
  window: TimeWindow;
  calls: AdapterResult[];
}

/**
 * A telephony's own call log (L1): what reconciliation compares with the calls callmatrix has. It does I/O, so it
 * is used from activities and the CLI only, never from workflow code; its credentials stay inside it.
 */
export interface CallLog {
  readonly provider: string;
  /**
   * Every call that started in the window, page by page in time order; a page answers one sub-window. `timeZone`:
   * the IANA zone the telephony's API reads and writes wall-clock times in (its project's zone), the one its
   * webhooks' times are read in (`callLogTimeZone`, temporal/reconcile-calls.ts).
   */
  pages(window: TimeWindow, timeZone: string): AsyncIterable<CallLogPage>;
}

/** How to reach a telephony's call-log API. The key is a secret: it stays in the process that reads the log. */
export interface CallLogAccess {
  apiUrl: string;
  apiKey: string;
  /** One request's deadline; a slower answer counts as a failure and is retried. */
  requestTimeoutMs?: number;
  /** Pause before the first retry of a failed request; doubled for each further one. */
  retryDelayMs?: number;
}

/**
 * The telephony refused a call-log request (a wrong key, a malformed request), or answered what cannot be read (not
 * a list of calls; more calls in one second than an answer holds): retrying cannot help, the admin must act.
 * Temporary failures (5xx, timeouts, the network) are CallLogUnreachable and are retried.
 */
export class CallLogRefused extends ActionableError {
  override readonly name = 'CallLogRefused';
}

/**
 * The call-log API did not answer, or answered 5xx or 429, on every attempt: temporary, so the reconciliation
 * activity lets Temporal retry it; the CLI says it in a sentence naming the API and its variable.
 */
export class CallLogUnreachable extends ActionableError {
  override readonly name = 'CallLogUnreachable';
}
