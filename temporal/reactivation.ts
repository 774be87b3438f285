/**
 * Starts the re-activation workflow once the admin has authorised Zoho again (page or CLI): it resumes every
 * suspended call in call order with the admin's "send data to the CRM after re-activation" choice (R2, R3). Each
 * start carries a fresh ticket, kept in the activation store: the run claims it before it resumes anything.
 */
import type { Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy, type Duration } from '@temporalio/common';
import { reactivationWorkflowId, workflowTypes, type ReactivationWorkflow } from './contracts';

/** Where re-activations are issued: the activation store every process shares, where the worker claims them. */
export interface ReactivationTickets {
  issueReactivation(): Promise<string>;
}

export async function startReactivation(
  temporal: Client,
  tickets: ReactivationTickets,
  options: { taskQueue: string; resend: boolean; silentCallCheck?: Duration },
): Promise<{ workflowId: string }> {
  const ticket = await tickets.issueReactivation();
  const handle = await temporal.workflow.start<ReactivationWorkflow>(workflowTypes.reactivation, {
    workflowId: reactivationWorkflowId(options.taskQueue),
    taskQueue: options.taskQueue,
    args: [{ resend: options.resend, silentCallCheck: options.silentCallCheck, ticket }],
    // The newest decision wins; calls a replaced run already resumed are not suspended any more.
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.TERMINATE_EXISTING,
  });
  return { workflowId: handle.workflowId };
}
