import type { CallEvent, CallMoment } from '../common/call-event';

/** What a telephony adapter receives: every parameter of the webhook, flattened, under the product's names. */
export interface WebhookInput {
  moment: CallMoment;
  parameters: Record<string, string>;
  receivedAt: Date;
  /** IANA zone the telephony writes times without an offset in (`telephony.timeZone`); unset: the CRM's zone, later. */
  timeZone?: string;
}

/** The result of reading a webhook: the event, or every reason it is not one (shown to the sender in a 400). */
export type AdapterResult = { ok: true; event: CallEvent } | { ok: false; errors: string[] };

/** Translates one telephony's webhooks into the product's call events. A new provider is a new adapter. */
export interface TelephonyAdapter {
  readonly provider: string;
  /** The parameters the adapter reads (product names): a call event keeps these and those the settings name. */
  readonly parameters: readonly string[];
  toCallEvent(input: WebhookInput): AdapterResult;
}
