/**
 * A worker of the call workflows and their activities, with its concurrency options. app/worker.ts builds every
 * worker here (production, `npm start`, the tests, the bench), so they all run the same code with the same options.
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { Logger } from 'pino';
import type { CallActivities } from '../activities';
import { bundleWorkflowsAtStart } from './workflow-bundle';
import type { Metrics } from '../observability/metrics';
import { workflowSinks } from './workflow-sinks';
import { heartbeatWhileRunning } from './heartbeat-while-running';
import { RetryingActivities } from './retrying-activities';

export interface CallWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: CallActivities;
  dataConverter: DataConverter;
  /** A prebuilt workflow bundle (production image, tests); without it the worker bundles the sources at start. */
  workflowBundlePath?: string;
  /** CALLMATRIX_WORKER_CPU_TARGET: the host CPU share above which the worker takes no new tasks. */
  cpuTarget?: number;
  /** Where each call's outcome is logged (one info line per outcome); default: not logged. */
  logger?: Logger;
  /** Counts calls by final status, rule and scenario, and refused workflow inputs; shows the activities being retried. */
  metrics?: Pick<Metrics, 'calls' | 'activities' | 'workflows'>;
}

/** Zoho allows 15 concurrent requests on Professional: more activity slots than that only queue in the limiter. */
const MAX_ACTIVITY_SLOTS = 50;

/**
 * How many tasks the worker runs at once: a fixed number, or (with a CPU target) as many as keep the host's CPU
 * below the target, sampled by Temporal's resource-based tuner. Memory is bounded by the same tuner at 95%.
 */
function concurrency(cpuTarget: number | undefined): Pick<WorkerOptions, 'tuner' | 'maxConcurrentActivityTaskExecutions'> {
  if (cpuTarget === undefined) return { maxConcurrentActivityTaskExecutions: MAX_ACTIVITY_SLOTS };
  return {
    tuner: {
      tunerOptions: { targetCpuUsage: cpuTarget, targetMemoryUsage: 0.95 },
      workflowTaskSlotOptions: { minimumSlots: 1 },
      localActivityTaskSlotOptions: { minimumSlots: 1 },
      activityTaskSlotOptions: { minimumSlots: 1, maximumSlots: MAX_ACTIVITY_SLOTS },
    },
  };
}

export async function createCallWorker(options: CallWorkerOptions): Promise<Worker> {
  // Either bundle has the workflow interceptors inside it.
  const workflowBundle = options.workflowBundlePath
    ? { codePath: options.workflowBundlePath }
    : await bundleWorkflowsAtStart();
  const retrying = new RetryingActivities();
  options.metrics?.activities.readRetryingFrom(() => retrying.snapshot());
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    dataConverter: options.dataConverter,
    workflowBundle,
    interceptors: { activity: [heartbeatWhileRunning, retrying.interceptor] },
    ...concurrency(options.cpuTarget),
    // Always registered: the call workflow reports every outcome, logged and counted only when asked.
    sinks: workflowSinks(options.logger, options.metrics),
    shutdownGraceTime: '10 seconds',
  });
}
