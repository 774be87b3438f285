/**
 * How workflow code refuses an input someone who reaches Temporal sent: an error line on the worker and the
 * refused-inputs counter (a sink: nothing in the history), and for most inputs a failed workflow with the reason in
 * its history. Workflow-safe: the workflow interceptor (refuse-unauthenticated-input.ts), the call workflow (a copied
 * resume) and the re-activation (a copied start) share it.
 */
import { ApplicationFailure, log, proxySinks } from '@temporalio/workflow';
import { REFUSED_FAILURE_TYPE, type RefusedInputKind, type RefusedInputSinks } from './refused-payload';

const { refusedInput } = proxySinks<RefusedInputSinks>();

/** Logs and counts a refused input; the workflow goes on as if it had not come. */
export function noteRefused(kind: RefusedInputKind, message: string): void {
  log.error(message);
  refusedInput.refused(kind);
}

/** Logs and counts a refused input, and fails the workflow with the reason (thrown: reject from async code). */
export function refuse(kind: RefusedInputKind, message: string): never {
  noteRefused(kind, message);
  throw ApplicationFailure.create({ message, type: REFUSED_FAILURE_TYPE, nonRetryable: true });
}
