/**
 * Workflow interceptor bundled with every callmatrix workflow (see worker/workflow-bundle.ts): a start, signal,
 * update or query whose arguments the payload codec refused (temporal/refused-payload.ts) never reaches workflow
 * code. A refused start or signal fails the workflow at once, with the reason in its history and an error log line
 * on the worker, so a forged call is visible as a failed workflow rather than a workflow task retried forever; a
 * refused query or update is answered with the failure and changes nothing.
 */
import { ApplicationFailure, log, type WorkflowInboundCallsInterceptor, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { isRefusedPayloadValue, REFUSED_FAILURE_TYPE, REFUSED_MESSAGE } from './refused-payload';

function refuseUnauthenticated(args: unknown[], what: string): void {
  if (!args.some(isRefusedPayloadValue)) return;
  log.error(`${what}: ${REFUSED_MESSAGE}`);
  throw ApplicationFailure.create({ message: `${what}: ${REFUSED_MESSAGE}`, type: REFUSED_FAILURE_TYPE, nonRetryable: true });
}

// The start and signal handlers are async so the failure is a rejection: on it the SDK fails the workflow, where a
// synchronous throw would fail the workflow task and have it retried forever.
const refuseUnauthenticatedInput: WorkflowInboundCallsInterceptor = {
  async execute(input, next) {
    refuseUnauthenticated(input.args, 'workflow start');
    return next(input);
  },
  async handleSignal(input, next) {
    refuseUnauthenticated(input.args, `signal ${input.signalName}`);
    return next(input);
  },
  validateUpdate(input, next) {
    refuseUnauthenticated(input.args, `update ${input.name}`);
    next(input);
  },
  async handleUpdate(input, next) {
    refuseUnauthenticated(input.args, `update ${input.name}`);
    return next(input);
  },
  async handleQuery(input, next) {
    refuseUnauthenticated(input.args, `query ${input.queryName}`);
    return next(input);
  },
};

export const interceptors: WorkflowInterceptorsFactory = () => ({ inbound: [refuseUnauthenticatedInput] });
