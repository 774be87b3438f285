/**
 * Hands a call event to its workflow: signal-with-start on the call's deterministic id, so the first event of a
 * call starts it, later ones signal it, and no two workflows exist for one call. A re-send of a moment the call
 * already has is accepted without reaching the history (`requestIdOf(workflow id, moment)`).
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { CallEvent } from '../common/call-event';
import { isWallClock } from '../common/local-time';
import { callEventSignal, callWorkflowId, searchAttributes, workflowTypes } from './contracts';
import { requestIdOf, signalWithStartOnce } from './signal-with-start-once';

export type Delivery = { workflowId: string; outcome: 'delivered' | 'call-already-finished' };

export async function deliverCallEvent(client: Client, taskQueue: string, event: CallEvent): Promise<Delivery> {
  const workflowId = callWorkflowId(event.provider, event.callId);
  try {
    await signalWithStartOnce(client, {
      workflowType: workflowTypes.call,
      workflowId,
      taskQueue,
      args: [],
      signalName: callEventSignal.name,
      signalArgs: [event],
      // Re-sends of a moment are accepted without a new history event: a call's history stays bounded.
      requestId: requestIdOf(workflowId, event.moment),
      // A finished call is never started again: a late re-send must not write the call to the CRM twice.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: searchAttributes.callId, value: event.callId },
        { key: searchAttributes.provider, value: event.provider },
        { key: searchAttributes.status, value: 'in-progress' },
        // A wall-clock start needs the CRM's zone, known to the workflow only: until then, the arrival orders the call.
        { key: searchAttributes.startedAt, value: new Date(event.startedAt && !isWallClock(event.startedAt) ? event.startedAt : event.receivedAt) },
      ],
    });
    return { workflowId, outcome: 'delivered' };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, outcome: 'call-already-finished' };
    throw error;
  }
}
