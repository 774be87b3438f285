/**
 * Activities that talk to Temporal itself rather than to Zoho: the missed-call round robin (O4) and resuming
 * suspended calls in call order after re-activation (R2, R3).
 */
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import type { CallStatusView } from '../temporal/call-status';
import { callStatusQuery, distributionWorkflowId, resumeSignal, searchAttributes, takeTurnUpdate, type ResumeDecision } from '../temporal/contracts';

export interface CallControlDependencies {
  temporal: Client;
  taskQueue: string;
}

export function createCallControlActivities({ temporal, taskQueue }: CallControlDependencies) {
  return {
    /** The next turn of the missed-call round robin; the same call always gets the same turn. */
    async takeDistributionTurn(callKey: string): Promise<number> {
      return temporal.workflow.executeUpdateWithStart(takeTurnUpdate, {
        args: [callKey],
        startWorkflowOperation: new WithStartWorkflowOperation('distributionWorkflow', {
          workflowId: distributionWorkflowId(taskQueue),
          taskQueue,
          args: [],
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        }),
      });
    },

    /** Ids of the suspended calls, oldest call first. */
    async listSuspendedCalls(): Promise<string[]> {
      const calls: { id: string; startedAt: number }[] = [];
      const query = `${searchAttributes.status.name} = "suspended" AND ExecutionStatus = "Running" AND TaskQueue = "${taskQueue}"`;
      for await (const execution of temporal.workflow.list({ query })) {
        const startedAt = execution.typedSearchAttributes.get(searchAttributes.startedAt) ?? execution.startTime;
        calls.push({ id: execution.workflowId, startedAt: startedAt.getTime() });
      }
      return calls.sort((a, b) => a.startedAt - b.startedAt || a.id.localeCompare(b.id)).map((c) => c.id);
    },

    /** Whether a call workflow is still running: for a resumed call that has not said how it ended. */
    async callRunning(workflowId: string): Promise<boolean> {
      const { status } = await temporal.workflow.getHandle(workflowId).describe();
      return status.name === 'RUNNING';
    },

    /**
     * Sends the admin's decision to one call if it is still suspended; false when it is not. The call tells the
     * re-activation named in the decision how it ended (`resumedCallSignal`).
     */
    async resumeCall(input: { workflowId: string; decision: ResumeDecision }): Promise<boolean> {
      const handle = temporal.workflow.getHandle(input.workflowId);
      const view: CallStatusView = await handle.query(callStatusQuery);
      if (view.status !== 'suspended') return false;
      await handle.signal(resumeSignal, input.decision);
      return true;
    },
  };
}
