/**
 * Signal-with-start that a re-send cannot repeat. Temporal keeps, per workflow run, the request ids of the signals
 * it has accepted, and accepts a signal whose request id it already holds without adding it to the history again
 * (verified on the pinned dev server: the same request id 100 times → one event). The SDK's `signalWithStart`
 * draws a random request id for every call, so this sends the same request itself, with the caller's request id.
 *
 * Only the request id differs from the SDK's: payloads go through the client's data converter (encrypted), search
 * attributes are encoded the SDK's way, and a refused start is the SDK's WorkflowExecutionAlreadyStartedError.
 */
import crypto from 'node:crypto';
import { isGrpcServiceError, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { encodeWorkflowIdReusePolicy, type SearchAttributeUpdatePair, type WorkflowIdReusePolicy } from '@temporalio/common';
import { encodeUnifiedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { encodeToPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';

export interface SignalWithStartOnce {
  workflowType: string;
  workflowId: string;
  taskQueue: string;
  args: unknown[];
  signalName: string;
  signalArgs: unknown[];
  workflowIdReusePolicy: WorkflowIdReusePolicy;
  typedSearchAttributes: SearchAttributeUpdatePair[];
  /** The same for every re-send of one message: `requestIdOf(...)`. */
  requestId: string;
}

/** A request id (UUID-shaped, as Temporal's are) that is the same for the same `parts`. */
export function requestIdOf(...parts: string[]): string {
  const hex = crypto.createHash('sha256').update(parts.join('\n')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const GRPC_ALREADY_EXISTS = 6;

/** Returns the run id; throws WorkflowExecutionAlreadyStartedError when the reuse policy refuses a closed run. */
export async function signalWithStartOnce(client: Client, request: SignalWithStartOnce): Promise<string> {
  const converter = client.options.loadedDataConverter;
  try {
    const response = await client.workflowService.signalWithStartWorkflowExecution({
      namespace: client.options.namespace,
      identity: client.options.identity,
      requestId: request.requestId,
      workflowId: request.workflowId,
      workflowType: { name: request.workflowType },
      taskQueue: { kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL, name: request.taskQueue },
      input: { payloads: await encodeToPayloads(converter, ...request.args) },
      signalName: request.signalName,
      signalInput: { payloads: await encodeToPayloads(converter, ...request.signalArgs) },
      workflowIdReusePolicy: encodeWorkflowIdReusePolicy(request.workflowIdReusePolicy),
      searchAttributes: { indexedFields: encodeUnifiedSearchAttributes(undefined, request.typedSearchAttributes) },
    });
    return response.runId;
  } catch (error) {
    if (isGrpcServiceError(error) && error.code === GRPC_ALREADY_EXISTS) {
      throw new WorkflowExecutionAlreadyStartedError('Workflow execution already started', request.workflowId, request.workflowType);
    }
    throw error;
  }
}
