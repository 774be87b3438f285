/**
 * How a failure goes into a log record. Zoho's answers and a user's mistakes are states an operator acts on, said
 * by their message: a stack trace would only bury it. Anything else is unexpected and keeps its stack.
 */
import { ActionableError } from '../config/config-error';
import { ZohoError } from '../zoho/errors';

export function loggedError(error: unknown): { reason: string } | { err: unknown } {
  return error instanceof ZohoError || error instanceof ActionableError ? { reason: error.message } : { err: error };
}
