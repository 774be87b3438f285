/**
 * Typed failures of the Zoho client, shaped for Temporal: an activity that throws one of these fails with the
 * class name as its failure type (Temporal uses `error.constructor.name`). Each class exports that name as a static
 * `errorType`; the names workflows rely on come from temporal/failures.ts, so workflows need not import this file.
 * Messages never contain tokens or secrets, and no error keeps a request as its cause (requests carry the
 * Authorization header).
 */
import { failureTypes } from '../temporal/failures';

export { NON_RETRYABLE_ZOHO_ERRORS } from '../temporal/failures';

export abstract class ZohoError extends Error {
  abstract readonly retryable: boolean;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export type AuthorizationFailure =
  /** No credentials stored: the integration was never activated (or was disconnected). */
  | 'not_connected'
  /** The refresh token no longer works (`invalid_code`) or the client is unknown (`invalid_client`). */
  | 'revoked'
  /** The token lacks a scope the call needs (`OAUTH_SCOPE_MISMATCH`). */
  | 'scope'
  /** The authorising user may not do this (`NO_PERMISSION`); re-activation by a user who may fixes it. */
  | 'permission';

/** Needs the admin to re-activate the integration; the workflow suspends the call until then. */
export class ZohoAuthorizationError extends ZohoError {
  static readonly errorType = failureTypes.zohoAuthorization;
  readonly retryable = false;

  constructor(
    readonly reason: AuthorizationFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Zoho answered 429 (credits used up or concurrency exceeded) after the client's own retries, or Accounts throttled a refresh. */
export class ZohoRateLimitError extends ZohoError {
  static readonly errorType = 'ZohoRateLimitError';
  readonly retryable = true;
}

/** 5xx, network failure, timeout: worth retrying later. */
export class ZohoTransientError extends ZohoError {
  static readonly errorType = 'ZohoTransientError';
  readonly retryable = true;
}

/**
 * Zoho refused the request itself (`INVALID_DATA`, `MANDATORY_NOT_FOUND`, `INVALID_QUERY`, …): retrying the
 * same request cannot succeed. `field` is the offending field's api_name when Zoho names one.
 */
export class ZohoValidationError extends ZohoError {
  static readonly errorType = failureTypes.zohoValidation;
  readonly retryable = false;

  constructor(
    readonly code: string,
    readonly subject: string,
    readonly field: string | undefined,
    zohoMessage: string,
    /** Zoho's `details` object (field api_name, offending id, the existing record of a DUPLICATE_DATA …). */
    readonly details: Record<string, unknown> = {},
    /** What the admin can do about it, when Zoho's message does not say. */
    advice?: string,
  ) {
    super(`Zoho rejected ${subject}: ${code}${field ? ` on field ${field}` : ''} (${zohoMessage})${advice ? `: ${advice}` : ''}`);
  }
}
