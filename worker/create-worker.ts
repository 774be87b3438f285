/**
 * A worker of the call workflows and their activities. The worker command, `npm start` and the tests all build
 * their workers here, so they run the same code with the same options.
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { CallActivities } from '../activities';

export interface CallWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: CallActivities;
  dataConverter: DataConverter;
  /** A prebuilt workflow bundle (production image, tests); without it the worker bundles the sources at start. */
  workflowBundlePath?: string;
}

export async function createCallWorker(options: CallWorkerOptions): Promise<Worker> {
  const workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> = options.workflowBundlePath
    ? { workflowBundle: { codePath: options.workflowBundlePath } }
    : { workflowsPath: require.resolve('../workflows') };
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    dataConverter: options.dataConverter,
    ...workflows,
    // Zoho allows 15 concurrent requests on Professional: more activity slots than that only queue in the limiter.
    maxConcurrentActivityTaskExecutions: 50,
    shutdownGraceTime: '10 seconds',
  });
}
