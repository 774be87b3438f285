/**
 * Hands a call event to its workflow: signal-with-start on the call's deterministic id, so the first event of a
 * call starts it, later ones (and the telephony's re-sends) signal it, and no two workflows exist for one call.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { CallEvent } from '../common/call-event';
import { callEventSignal, callWorkflowId, searchAttributes, workflowTypes, type CallWorkflow, type RecoverySource } from './contracts';

export type Delivery = { workflowId: string; outcome: 'delivered' | 'call-already-finished' };

/** `recoveredBy`: the event comes from the telephony's call log, not a webhook (L1); it marks a call it starts. */
export async function deliverCallEvent(
  client: Client,
  taskQueue: string,
  event: CallEvent,
  options: { recoveredBy?: RecoverySource } = {},
): Promise<Delivery> {
  const workflowId = callWorkflowId(event.provider, event.callId);
  try {
    await client.workflow.signalWithStart<CallWorkflow, [CallEvent]>(workflowTypes.call, {
      workflowId,
      taskQueue,
      signal: callEventSignal,
      signalArgs: [event],
      // A finished call is never started again: a late re-send must not write the call to the CRM twice.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: searchAttributes.callId, value: event.callId },
        { key: searchAttributes.provider, value: event.provider },
        { key: searchAttributes.status, value: 'in-progress' },
        { key: searchAttributes.startedAt, value: new Date(event.startedAt ?? event.receivedAt) },
        ...(options.recoveredBy ? [{ key: searchAttributes.recoveredBy, value: options.recoveredBy }] : []),
      ],
    });
    return { workflowId, outcome: 'delivered' };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, outcome: 'call-already-finished' };
    throw error;
  }
}
