/**
 * Activities that talk to Temporal itself rather than to Zoho: the missed-call round robin (O4), the callers'
 * queues (one call of a caller at a time, M17) and resuming suspended calls in call order after re-activation
 * (R2, R3).
 */
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy, type UpdateDefinition } from '@temporalio/common';
import type { CallStatusView } from '../temporal/call-status';
import type { CallerKey } from '../temporal/caller-key';
import { batchedByKey } from './batched-by-key';
import { legacyCallerQueues } from './legacy-caller-queues';
import {
  callStatusQuery,
  callerQueueShardWorkflowId,
  callerTurnsWorkflowId,
  distributionWorkflowId,
  joinCallerQueueUpdate,
  joinCallerTurnsUpdate,
  resumeSignal,
  searchAttributes,
  takeTurnsUpdate,
  workflowTypes,
  callerTurnDoneSignal,
  type CallerQueueJoin,
  type CallerTurnAnswer,
  type CallerTurnHolder,
  type CallerTurnToGiveUp,
  type ResumeDecision,
} from '../temporal/contracts';

export interface CallControlDependencies {
  temporal: Client;
  taskQueue: string;
  /** Names a caller's queue without the number in clear (temporal/caller-key.ts). */
  callerKey: CallerKey;
}

/**
 * Items in one update of a long-lived workflow, at most (joins of a shard, takes of the round robin): a burst of
 * calls shares an update, within Temporal's payload limits.
 */
const MAX_ITEMS_PER_UPDATE = 100;

export function createCallControlActivities({ temporal, taskQueue, callerKey }: CallControlDependencies) {
  /** An update of a long-lived workflow of this deployment, started by the update when it is not running. */
  const updateWithStart = <Ret, Arg>(update: UpdateDefinition<Ret, [Arg]>, arg: Arg, workflowType: string, workflowId: string): Promise<Ret> =>
    temporal.workflow.executeUpdateWithStart(update, {
      args: [arg],
      startWorkflowOperation: new WithStartWorkflowOperation(workflowType, {
        workflowId,
        taskQueue,
        args: [],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      }),
    });

  const legacyQueueRunning = legacyCallerQueues(temporal, taskQueue);
  const joinShard = batchedByKey<CallerQueueJoin, CallerTurnAnswer>(
    (shardWorkflowId, joins) => updateWithStart(joinCallerQueueUpdate, joins, workflowTypes.callerQueueShard, shardWorkflowId),
    MAX_ITEMS_PER_UPDATE,
  );
  const takeTurn = batchedByKey<string, number>(
    (distributionId, callKeys) => updateWithStart(takeTurnsUpdate, callKeys, workflowTypes.distribution, distributionId),
    MAX_ITEMS_PER_UPDATE,
  );
  /**
   * Puts a call in its caller's queue, in the caller's shard (started if it is not running) — or in the caller's
   * own queue of the kind before the shards while that still runs (legacy-caller-queues.ts). The number comes in
   * encrypted and leaves only as the caller's keyed hash. Retried safely: a call queues once.
   */
  const join = async ({ clientPhone, holder }: { clientPhone: string; holder: CallerTurnHolder }): Promise<CallerTurnAnswer & { queueWorkflowId: string }> => {
    const key = callerKey(clientPhone);
    const legacyWorkflowId = callerTurnsWorkflowId(taskQueue, key);
    if (await legacyQueueRunning(legacyWorkflowId)) {
      try {
        const answer = await temporal.workflow.getHandle(legacyWorkflowId).executeUpdate(joinCallerTurnsUpdate, { args: [holder] });
        return { queueWorkflowId: legacyWorkflowId, ...answer };
      } catch (error) {
        // Ended since it was listed: it holds no turn, and the caller's shard takes the call.
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
    const queueWorkflowId = callerQueueShardWorkflowId(taskQueue, key);
    const answer = await joinShard(queueWorkflowId, { callerKey: key, holder });
    return { queueWorkflowId, ...answer };
  };

  return {
    /** The next turn of the missed-call round robin; the same call always gets the same turn. */
    async takeDistributionTurn(callKey: string): Promise<number> {
      return takeTurn(distributionWorkflowId(taskQueue), callKey);
    },

    /**
     * Joins the caller's queue: `granted` when the turn is the call's now, and when a turn last ended in the queue
     * (a lookup made alongside is judged by it).
     */
    queueForCallerTurn: join,

    /** Gives a call's turn up, as the call workflow would (workflows/caller-turn.ts); a queue that has ended waits for nobody. */
    async giveUpCallerTurn({ queueWorkflowId, holder }: CallerTurnToGiveUp): Promise<void> {
      try {
        await temporal.workflow.getHandle(queueWorkflowId).signal(callerTurnDoneSignal, holder);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    },

    /** Whether a call's run is still running: a queue passes a terminated or timed-out holder's turn on. */
    async callRunIsOpen(holder: CallerTurnHolder): Promise<boolean> {
      try {
        const description = await temporal.workflow.getHandle(holder.workflowId, holder.runId).describe();
        return description.status.name === 'RUNNING';
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      }
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

    /**
     * Whether a call workflow is still running: for a resumed call that has not said how it ended, and for a call
     * waiting behind it in its caller's queue.
     */
    async callRunning(workflowId: string): Promise<boolean> {
      try {
        const { status } = await temporal.workflow.getHandle(workflowId).describe();
        return status.name === 'RUNNING';
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      }
    },

    /**
     * Sends the admin's decision to one call if it is still suspended; false when it is not. The call tells the
     * re-activation named in the decision how it ended (`resumedCallSignal`). The resume names the run and the
     * suspension it is for: the call refuses it anywhere else, so a copy sent again later resumes nothing.
     */
    async resumeCall(input: { workflowId: string; decision: ResumeDecision }): Promise<boolean> {
      const { runId } = await temporal.workflow.getHandle(input.workflowId).describe();
      const handle = temporal.workflow.getHandle(input.workflowId, runId);
      const view: CallStatusView = await handle.query(callStatusQuery);
      if (view.status !== 'suspended') return false;
      await handle.signal(resumeSignal, { ...input.decision, suspension: { runId, suspension: view.suspensions } });
      return true;
    },
  };
}
