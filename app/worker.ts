/**
 * The worker process's parts, built from an AppContext: the D3 check of the mappings against the CRM, the
 * Temporal connections, the activities on the org's Zoho client and settings, and the call worker.
 */
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createCallWorker } from '../worker/create-worker';
import { connectTemporalClient, type AppContext } from './app-context';
import { checkMappingsAgainstCrm } from './check-mappings';
import { temporalUnreachable } from './temporal-connection';
import { temporalConnection } from '../config/temporal-connection';
import { dataConverterFor } from './shared-resources';

export interface RunningWorker {
  worker: Worker;
  /** Settles once the worker has stopped (shutdown, or SIGINT/SIGTERM, which the SDK handles) and its connections are closed. */
  running: Promise<void>;
  /** Drains and stops the worker. */
  stop(): Promise<void>;
}

export async function startWorker(app: AppContext, options: { workflowBundlePath?: string } = {}): Promise<RunningWorker> {
  const { org, env, logger } = app;
  await checkMappingsAgainstCrm(org.zoho, org.settings(), org.settingsOrigin, logger);
  // The client connection first: it fails within seconds with the address and a hint when Temporal is not there.
  const temporal = await connectTemporalClient(app);
  const target = temporalConnection(env, app.temporalAddress);
  const connection = await NativeConnection.connect(target).catch(async (error: unknown) => {
    await temporal.connection.close();
    throw temporalUnreachable(target, error);
  });
  const taskQueue = env.CALLMATRIX_TASK_QUEUE;
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
      logger: logger.child({ component: 'activities' }),
    }),
    dataConverter: dataConverterFor(app.secrets),
    workflowBundlePath: options.workflowBundlePath,
    cpuTarget: env.CALLMATRIX_WORKER_CPU_TARGET,
  });
  const running = worker.run().finally(async () => {
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
