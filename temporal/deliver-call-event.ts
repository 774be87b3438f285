/**
 * Hands a call event to its workflow: signal-with-start on the call's deterministic id, so the first event of a
 * call starts it, later ones signal it, and no two workflows run for one call. A re-send of a moment the call
 * already has is accepted without reaching the history (`requestIdOf(workflow id, moment[, recording link])`): a
 * re-send with a recording link the call has not seen yet does reach it, for a recording that came late (C2).
 *
 * A call whose workflow completed (written, ignored, discarded, expired) is never started again: a late re-send
 * must not write it twice. A call whose workflow failed, was terminated or timed out is run again by its next
 * event (L2): nothing of it is swallowed, and the new run checks each record's idempotency marker before writing,
 * since the closed run may have written some of them.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { CallEvent } from '../common/call-event';
import { isWallClock } from '../common/local-time';
import type { CallerKeyOfEvent } from './caller-key';
import { callEventSignal, callWorkflowId, searchAttributes, workflowTypes, type CallWorkflowInput, type RecoverySource } from './contracts';
import { requestIdOf, signalWithStartOnce } from './signal-with-start-once';

export type Delivery = { workflowId: string; outcome: 'delivered' | 'call-already-finished' };

/**
 * `recoveredBy`: the event comes from the telephony's call log, not a webhook (L1); it marks a call it starts.
 * `callerKeyOf`: the CallerKey search attribute of a call it starts (the deployment's key); absent, none is set.
 */
export async function deliverCallEvent(
  client: Client,
  taskQueue: string,
  event: CallEvent,
  options: { recoveredBy?: RecoverySource; callerKeyOf?: CallerKeyOfEvent } = {},
): Promise<Delivery> {
  const workflowId = callWorkflowId(event.provider, event.callId);
  const callerKey = await options.callerKeyOf?.(event);
  const signalWithStart = (workflowIdReusePolicy: WorkflowIdReusePolicy, input: CallWorkflowInput) =>
    signalWithStartOnce(client, {
      workflowType: workflowTypes.call,
      workflowId,
      taskQueue,
      args: [input],
      signalName: callEventSignal.name,
      signalArgs: [event],
      // Re-sends of a moment are accepted without a new history event: a call's history stays bounded. A re-send
      // that brings a recording link must reach the call (C2), once per link: the link (hashed) joins the id.
      requestId: requestIdOf(workflowId, event.moment, ...(event.recordingUrl === undefined ? [] : [event.recordingUrl])),
      workflowIdReusePolicy,
      typedSearchAttributes: [
        { key: searchAttributes.callId, value: event.callId },
        { key: searchAttributes.provider, value: event.provider },
        { key: searchAttributes.status, value: 'in-progress' },
        // A wall-clock start needs the CRM's zone, known to the workflow only: until then, the arrival orders the call.
        { key: searchAttributes.startedAt, value: new Date(event.startedAt && !isWallClock(event.startedAt) ? event.startedAt : event.receivedAt) },
        ...(options.recoveredBy ? [{ key: searchAttributes.recoveredBy, value: options.recoveredBy }] : []),
        ...(callerKey ? [{ key: searchAttributes.callerKey, value: callerKey }] : []),
      ],
    });
  try {
    // The usual case, one request: the call is new or running. Only a closed call costs the second request.
    await signalWithStart(WorkflowIdReusePolicy.REJECT_DUPLICATE, {});
    return { workflowId, outcome: 'delivered' };
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  try {
    // Temporal itself refuses a completed call here, so two events racing for a failed call start one run.
    await signalWithStart(WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY, { replacesClosedRun: true });
    return { workflowId, outcome: 'delivered' };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, outcome: 'call-already-finished' };
    throw error;
  }
}
