/**
 * What the payload codec hands on in place of call data it refuses: a payload that was not encrypted and
 * authenticated by one of callmatrix's keys (a forged start or signal from a client without the key, or data
 * altered in Temporal's database). It is an ordinary JSON value, so converting it never fails a workflow task;
 * the workflow interceptor in refuse-unauthenticated-input.ts recognises it and fails the workflow instead.
 * Workflow-safe: type imports only.
 */
import type { Sinks } from '@temporalio/workflow';

export const REFUSED_MARKER = '__callmatrixRefusedPayload';

export const REFUSED_FAILURE_TYPE = 'UnauthenticatedCallData';

export const REFUSED_MESSAGE =
  'call data refused: not encrypted and authenticated by CALLMATRIX_ENCRYPTION_KEY or CALLMATRIX_ENCRYPTION_KEYS_PREVIOUS ' +
  '(sent by a client without the key, or altered); nothing was written to the CRM';

export const REFUSED_FOREIGN_EVENT_MESSAGE =
  "call data refused: the event is another call's (copied from that call's history), not this workflow's; nothing was written to the CRM";

export const REFUSED_COPIED_RESUME_MESSAGE =
  'resume refused: not sent for this suspension of this call (a decision copied from a history and sent again); the call stays suspended';

export const REFUSED_COPIED_REACTIVATION_MESSAGE =
  'workflow start: re-activation refused: not the latest one an admin started (a start copied from a history and sent again); no call was resumed';

export interface RefusedPayloadValue {
  [REFUSED_MARKER]: string;
}

export const refusedPayloadValue = (reason: string): RefusedPayloadValue => ({ [REFUSED_MARKER]: reason });

export function isRefusedPayloadValue(value: unknown): value is RefusedPayloadValue {
  return typeof value === 'object' && value !== null && REFUSED_MARKER in value;
}

/**
 * The inputs the workflow interceptor refuses, as the refused-inputs counter labels them; `resume`: a resume the
 * call workflow refused as not sent for its current suspension; `reactivation`: a re-activation's start that was
 * not the latest an admin made.
 */
export type RefusedInputKind = 'start' | 'signal' | 'update' | 'query' | 'resume' | 'reactivation';

/**
 * How the interceptor tells its worker it refused an input, to be counted: someone who reached Temporal sent
 * call data callmatrix did not encrypt, copied one call's event into another, or sent a resume again. A sink: nothing in the history.
 */
export interface RefusedInputSinks extends Sinks {
  refusedInput: {
    refused(kind: RefusedInputKind): void;
  };
}
