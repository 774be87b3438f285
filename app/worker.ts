/**
 * The worker process's parts, built from an AppContext: the D3 check of the mappings against the CRM, the
 * Temporal connections, the activities on the org's Zoho client and settings, and the call worker.
 */
import { NativeConnection, type Worker } from '@temporalio/worker';
import { integrationHealth } from '../activation/credential-store';
import { createActivities } from '../activities';
import { temporalConnection } from '../config/temporal-connection';
import { deploymentCallerKey } from '../temporal/caller-key';
import type { CallLog } from '../telephony/provider';
import { upsertReconciliationSchedule } from '../temporal/reconciliation-schedule';
import { serveMetrics, type MetricsListener } from '../observability/metrics-listener';
import { runningCalls } from '../observability/running-calls';
import { suspendedCalls } from '../observability/suspended-calls';
import { createCallWorker } from '../worker/create-worker';
import { renewLongLivedWorkflows } from '../temporal/renew-long-lived-workflows';
import { startWorkerHealthServer } from '../worker/health-server';
import { connectTemporalClient, type AppContext } from './app-context';
import { configuredCallLog } from './call-log';
import { checkSettingsAgainstCrm } from './check-settings';
import { temporalUnreachable } from './temporal-connection';
import { dataConverterFor } from './shared-resources';

export interface RunningWorker {
  worker: Worker;
  /** Settles once the worker has stopped (shutdown, or SIGINT/SIGTERM, which the SDK handles) and its connections are closed. */
  running: Promise<void>;
  /** Drains and stops the worker. */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  /** A prebuilt workflow bundle (production image, tests); without it the worker bundles the sources at start. */
  workflowBundlePath?: string;
  /** The telephony's call log for reconciliation (L1); default: the one RINGOSTAT_API_KEY configures, if any. */
  callLog?: CallLog;
}

export async function startWorker(app: AppContext, options: WorkerOptions = {}): Promise<RunningWorker> {
  const { org, env, logger } = app;
  await checkSettingsAgainstCrm(org.zoho, org.settings(), org.settingsOrigin, logger);
  // The client connection first: it fails within seconds with the address and a hint when Temporal is not there.
  const temporal = await connectTemporalClient(app);
  const target = temporalConnection(env, app.temporalAddress);
  const connection = await NativeConnection.connect(target).catch(async (error: unknown) => {
    await temporal.connection.close();
    throw temporalUnreachable(target, error);
  });
  const taskQueue = env.CALLMATRIX_TASK_QUEUE;
  const callLog = options.callLog ?? configuredCallLog(env);
  const worker = await createCallWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue,
    activities: createActivities({
      zoho: org.zoho,
      settings: org.settings,
      integration: org.activation,
      temporal,
      taskQueue,
      callerKey: await deploymentCallerKey(org.activation, app.secrets.encryptionKey),
      callLog,
      logger: logger.child({ component: 'activities' }),
      metrics: app.metrics,
    }),
    dataConverter: dataConverterFor(app.secrets),
    workflowBundlePath: options.workflowBundlePath,
    cpuTarget: env.CALLMATRIX_WORKER_CPU_TARGET,
    logger,
    metrics: app.metrics,
  });
  const reconciliation = org.settings().reconciliation;
  await upsertReconciliationSchedule(temporal, { taskQueue, settings: reconciliation, callLogConfigured: callLog !== undefined, logger });
  const renewed = await renewLongLivedWorkflows(temporal, taskQueue);
  if (renewed > 0) logger.info({ renewed }, "asked the callers' shards and the round robin to start new runs under this worker's keys");
  const health = await startWorkerHealthServer(env, { worker, temporal, integration: () => integrationHealth(org.activation) });
  app.metrics.calls.readSuspendedFrom(() => suspendedCalls(temporal));
  app.metrics.calls.readRunningFrom(() => runningCalls(temporal, taskQueue));
  const running = worker.run().finally(async () => {
    await health?.close();
    await temporal.connection.close();
    await connection.close();
  });
  logger.info({ taskQueue, temporal: app.temporalAddress }, 'worker running');
  return {
    worker,
    running,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}

/**
 * The `worker` command's /metrics and operator's /healthz/integration (CALLMATRIX_WORKER_METRICS_PORT); `npm start`
 * serves its one registry on the shim's.
 */
export async function serveWorkerMetrics(app: AppContext): Promise<MetricsListener> {
  const listener = await serveMetrics({
    host: app.env.CALLMATRIX_METRICS_HOST,
    port: app.env.CALLMATRIX_WORKER_METRICS_PORT,
    portVariable: 'CALLMATRIX_WORKER_METRICS_PORT',
    metrics: app.metrics,
    integration: () => integrationHealth(app.org.activation),
    logger: app.logger,
  });
  app.logger.info({ url: listener.url }, 'worker metrics listening');
  return listener;
}
