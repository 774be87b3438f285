/**
 * Starts the re-activation workflow once the admin has authorised Zoho again (page or CLI): it resumes every
 * suspended call in call order with the admin's "send data to the CRM after re-activation" choice (R2, R3).
 */
import type { Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy, type Duration } from '@temporalio/common';
import { reactivationWorkflowId, workflowTypes, type ReactivationWorkflow } from './contracts';

export async function startReactivation(
  temporal: Client,
  options: { taskQueue: string; resend: boolean; silentCallCheck?: Duration },
): Promise<{ workflowId: string }> {
  const handle = await temporal.workflow.start<ReactivationWorkflow>(workflowTypes.reactivation, {
    workflowId: reactivationWorkflowId(options.taskQueue),
    taskQueue: options.taskQueue,
    args: [{ resend: options.resend, silentCallCheck: options.silentCallCheck }],
    // The newest decision wins; calls a replaced run already resumed are not suspended any more.
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.TERMINATE_EXISTING,
  });
  return { workflowId: handle.workflowId };
}
