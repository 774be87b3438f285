/**
 * Workflow interceptor bundled with every callmatrix workflow (see worker/workflow-bundle.ts): a start, signal,
 * update or query whose arguments the payload codec refused (temporal/refused-payload.ts) never reaches workflow
 * code. A refused start or signal fails the workflow at once, with the reason in its history and an error log line
 * on the worker, so a forged call is visible as a failed workflow rather than a workflow task retried forever; a
 * refused query or update is answered with the failure and changes nothing.
 *
 * A call event is also refused when it names another call than the workflow's own. Encrypted payloads are not bound
 * to the workflow they were written for, so whoever reaches Temporal could copy a call's encrypted event out of its
 * history and signal-with-start it under a new call id: the worker would decrypt it and write the call's records a
 * second time (their idempotency markers are per workflow). Every event callmatrix sends goes to
 * `callWorkflowId(provider, callId)` of the event itself (temporal/deliver-call-event.ts).
 */
import { workflowInfo, type SignalInput, type WorkflowInboundCallsInterceptor, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import type { CallEvent } from '../common/call-event';
import { callEventSignal, callWorkflowId } from './contracts';
import { isRefusedPayloadValue, REFUSED_MESSAGE, REFUSED_FOREIGN_EVENT_MESSAGE, type RefusedInputKind } from './refused-payload';
import { refuse } from './refuse-input';

function refuseUnauthenticated(args: unknown[], kind: RefusedInputKind, what: string): void {
  if (args.some(isRefusedPayloadValue)) refuse(kind, `${what}: ${REFUSED_MESSAGE}`);
}

function refuseForeignCallEvent({ signalName, args }: SignalInput): void {
  if (signalName !== callEventSignal.name) return;
  const [event] = args as [CallEvent];
  if (callWorkflowId(event.provider, event.callId) !== workflowInfo().workflowId) refuse('signal', `signal ${signalName}: ${REFUSED_FOREIGN_EVENT_MESSAGE}`);
}

// The start and signal handlers are async so the failure is a rejection: on it the SDK fails the workflow, where a
// synchronous throw would fail the workflow task and have it retried forever.
const refuseUnauthenticatedInput: WorkflowInboundCallsInterceptor = {
  async execute(input, next) {
    refuseUnauthenticated(input.args, 'start', 'workflow start');
    return next(input);
  },
  async handleSignal(input, next) {
    refuseUnauthenticated(input.args, 'signal', `signal ${input.signalName}`);
    refuseForeignCallEvent(input);
    return next(input);
  },
  validateUpdate(input, next) {
    refuseUnauthenticated(input.args, 'update', `update ${input.name}`);
    next(input);
  },
  async handleUpdate(input, next) {
    refuseUnauthenticated(input.args, 'update', `update ${input.name}`);
    return next(input);
  },
  async handleQuery(input, next) {
    refuseUnauthenticated(input.args, 'query', `query ${input.queryName}`);
    return next(input);
  },
};

export const interceptors: WorkflowInterceptorsFactory = () => ({ inbound: [refuseUnauthenticatedInput] });
