/**
 * The product's own call-event model. Telephony adapters (Ringostat first) translate their webhooks into it;
 * nothing past the webhook shim knows a provider's parameter names.
 */

export const CALL_MOMENTS = ['start', 'answer', 'end'] as const;
/** The moment of the call a webhook reports: telephonies send one webhook per moment. */
export type CallMoment = (typeof CALL_MOMENTS)[number];

export const CALL_DIRECTIONS = ['incoming', 'outgoing', 'internal'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

export const CALL_OUTCOMES = ['answered', 'missed', 'voicemail'] as const;
/** How the call ended, as far as the CRM cares: talk happened, nobody talked, or the caller left a voicemail. */
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** How the telephony identifies the employee who answered or placed the call. Any field may be absent. */
export interface EmployeeLeg {
  phone?: string;
  sipLogin?: string;
  extension?: string;
  name?: string;
}

/** The visit that led to the call (call tracking): what D1/D2 write to the CRM. */
export interface VisitData {
  utmSource?: string;
  utmMedium?: string;
  utmCampaign?: string;
  utmTerm?: string;
  utmContent?: string;
  /** Google Analytics client id: goes to `rs_google_client_id` (A3). */
  googleClientId?: string;
  landingPage?: string;
  poolName?: string;
}

export interface CallEvent {
  /** Telephony the event came from, e.g. `ringostat`. */
  provider: string;
  /** The telephony's id of the call; with `provider` it identifies the call across all its events. */
  callId: string;
  moment: CallMoment;
  /** ISO-8601 time the shim received the event: orders events and anchors the resend window (R2). */
  receivedAt: string;
  /**
   * When the call started, as the telephony reports it: an ISO-8601 instant, or — for a telephony time without an
   * offset and no `telephony.timeZone` set — the wall-clock reading `yyyy-MM-ddTHH:mm:ss`, read in the CRM's zone.
   */
  startedAt?: string;
  direction?: CallDirection;
  /** The external party's number as the telephony sent it (caller for incoming, callee for outgoing). */
  clientNumber?: string;
  /** The company number involved: the tracking number dialled (incoming) or the line used (outgoing). */
  companyNumber?: string;
  /** The employee on the call at this moment (answering or calling). */
  employee?: EmployeeLeg;
  /** Only at `end`. */
  outcome?: CallOutcome;
  /** Talk time in seconds (billsec): zero means nobody talked. */
  talkSeconds?: number;
  /** Whole call in seconds, ringing included. */
  durationSeconds?: number;
  recordingUrl?: string;
  /** True when the telephony reports the call was transferred to another employee (M16). */
  transferred?: boolean;
  visit: VisitData;
  /**
   * Every parameter the telephony sent, under the product's names (after the configured renaming):
   * the source for per-module mappings (D3) and pipeline rules (D4).
   */
  parameters: Record<string, string>;
}

/**
 * What a telephony's call id may be: it becomes the workflow id (`call:<provider>:<id>`), a search attribute and a
 * column of `callmatrix calls`, so it is short and printable: letters, digits and `.`, `_`, `-`, `:`, `@` (L4).
 */
export const CALL_ID = { pattern: /^[A-Za-z0-9._:@-]+$/, maxLength: 128, description: 'letters, digits and . _ - : @' } as const;
