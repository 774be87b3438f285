/**
 * What Temporal knows of this deployment, for `callmatrix doctor`: which workers poll its task queue, and the state
 * of the reconciliation Schedule the workers keep (L1). Read from Temporal rather than from the doctor's own
 * environment, so the doctor run in any container (the shim's, an admin's laptop) reports what the workers do.
 */
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { reconciliationScheduleId } from './contracts';

export interface DeploymentFacts {
  taskQueue: string;
  /** Identities (`pid@host`) of the workers that polled the task queue for call workflows lately (Temporal keeps a few minutes). */
  workers: string[];
  /** The reconciliation Schedule as the workers last set it; undefined when none exists (no worker ever started). */
  reconciliationSchedule?: { paused: boolean; note: string };
}

export async function readDeploymentFacts(client: Client, taskQueue: string): Promise<DeploymentFacts> {
  const [workers, reconciliationSchedule] = await Promise.all([workflowPollers(client, taskQueue), scheduleState(client, taskQueue)]);
  return { taskQueue, workers, reconciliationSchedule };
}

async function workflowPollers(client: Client, taskQueue: string): Promise<string[]> {
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return [...new Set(pollers.map((poller) => poller.identity ?? 'a worker without identity'))].sort();
}

async function scheduleState(client: Client, taskQueue: string): Promise<DeploymentFacts['reconciliationSchedule']> {
  try {
    const { state } = await client.schedule.getHandle(reconciliationScheduleId(taskQueue)).describe();
    return { paused: state.paused, note: state.note ?? '' };
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return undefined;
    throw error;
  }
}
