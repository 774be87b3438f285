import type { Client, WorkflowHandle } from '@temporalio/client';

/**
 * Resets a finished workflow to its first workflow task, as an operator does in the Temporal UI or with
 * `temporal workflow reset`, and returns the new run.
 */
export async function resetToFirstWorkflowTask(temporal: Client, handle: WorkflowHandle, reason: string): Promise<WorkflowHandle> {
  const firstRunId = (await handle.describe()).runId;
  const firstTaskCompleted = (await handle.fetchHistory()).events!.find((event) => event.workflowTaskCompletedEventAttributes)!;
  const { runId } = await temporal.workflowService.resetWorkflowExecution({
    namespace: 'default',
    workflowExecution: { workflowId: handle.workflowId, runId: firstRunId },
    workflowTaskFinishEventId: firstTaskCompleted.eventId,
    requestId: `reset-${handle.workflowId}-${firstRunId}`,
    reason,
  });
  return temporal.workflow.getHandle(handle.workflowId, runId!);
}
