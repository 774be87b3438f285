/**
 * The failures activities and workflows agree on, by type name: what a retry policy must not retry, what
 * suspends a call, what stops a re-activation, and the records a plan wrote before Zoho refused one.
 * Temporal names an activity's failure after the thrown error's class (`error.constructor.name`), so the Zoho
 * error classes take their `errorType` from here. Imported by workflow code: workflow-safe imports only.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { WrittenRecord } from './call-status';

export const failureTypes = {
  /** Zoho refused the authorisation: the call suspends until re-activation (R1, R3). */
  zohoAuthorization: 'ZohoAuthorizationError',
  /** Zoho refused the data itself: a retry cannot help, the call fails. */
  zohoValidation: 'ZohoValidationError',
  /** A call resumed by re-activation suspended again: the re-activation stops (R3). */
  integrationBrokenAgain: 'IntegrationBrokenAgain',
} as const;

/** For Temporal retry policies of Zoho activities: `nonRetryableErrorTypes: [...NON_RETRYABLE_ZOHO_ERRORS]`. */
export const NON_RETRYABLE_ZOHO_ERRORS: readonly string[] = [failureTypes.zohoAuthorization, failureTypes.zohoValidation];

/** The application failure of `type` behind an activity's failure: a regular activity's arrives wrapped, a local one's bare. */
export function applicationFailureOf(error: unknown, type: string): ApplicationFailure | undefined {
  const failure = error instanceof ActivityFailure ? error.cause : error;
  return failure instanceof ApplicationFailure && failure.type === type ? failure : undefined;
}

export const isAuthorizationFailure = (error: unknown): boolean => applicationFailureOf(error, failureTypes.zohoAuthorization) !== undefined;

/** Zoho refused the data of a plan's record after the records before it were written: those records ride along. */
export function partialWriteFailure(message: string, written: WrittenRecord[]): ApplicationFailure {
  return ApplicationFailure.create({ type: failureTypes.zohoValidation, message, nonRetryable: true, details: [{ written }] });
}

/** The records written before Zoho refused the data of the next one; none for any other failure. */
export function writtenBeforeRefusal(error: unknown): WrittenRecord[] {
  const details = applicationFailureOf(error, failureTypes.zohoValidation)?.details?.[0] as { written?: WrittenRecord[] } | undefined;
  return Array.isArray(details?.written) ? details.written : [];
}

/** Ends a re-activation: the call it resumed was suspended again, so the authorisation broke again. */
export function integrationBrokenAgain(callWorkflowId: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: failureTypes.integrationBrokenAgain,
    message: `${callWorkflowId} suspended again: the authorisation broke again`,
    nonRetryable: true,
  });
}
