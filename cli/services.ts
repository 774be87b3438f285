/**
 * Builds callmatrix's long-running parts from configuration: the Temporal client and connection, the worker and
 * the webhook shim. The `worker` and `webhook` commands run one each (production); `start` runs them together.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { integrationHealth, type ActivationStore } from '../activation/credential-store';
import { settingsWithActivation } from '../activation/effective-settings';
import { createActivities } from '../activities';
import { registerActivationRoutes } from '../activation/routes';
import { registerCodecRoutes } from '../http/codec-routes';
import { startReactivation } from '../temporal/reactivation';
import { checkMappingsAgainstCrm } from './check-mappings';
import { registerRouting } from '../http/routing';
import { buildWebhookServer } from '../http/webhook-server';
import { publicUrl, type Environment } from '../config/environment';
import { watchedSettings, type SettingsSource } from '../config/settings-source';
import { createCallWorker } from '../worker/create-worker';
import { upsertReconciliationSchedule } from '../temporal/reconciliation-schedule';
import { configuredCallLog } from './call-log';
import { createZohoClient } from '../zoho';
import type { RuntimeSecrets } from './local-secrets';
import { dataConverterFor, openSharedActivationStore } from './shared-resources';

export interface ServiceContext {
  env: Environment;
  /** Where Temporal is: TEMPORAL_ADDRESS, or the embedded dev server `start` launched. */
  temporalAddress: string;
  secrets: RuntimeSecrets;
  /** The settings file with the admin's activation choices applied: what calls are decided with. */
  settings: SettingsSource;
  /** The settings file as written, before the activation's choices: what the activation pages map. */
  fileSettings: SettingsSource;
  settingsFile: string;
  /** Zoho credentials and integration state, shared by every process through the data folder. */
  activation: ActivationStore;
  logger: Logger;
}

/**
 * Opens what every process shares: the activation store (seeded from ZOHO_* variables when it is empty) and the
 * settings file with the activation choices applied.
 */
export async function serviceContext(options: {
  env: Environment;
  temporalAddress: string;
  secrets: RuntimeSecrets;
  settingsFile: string;
  logger: Logger;
}): Promise<ServiceContext> {
  const { env, secrets, logger } = options;
  const activation = await openSharedActivationStore(env, secrets, logger);
  const fileSettings = watchedSettings(options.settingsFile, logger);
  const settings = settingsWithActivation(fileSettings, activation);
  return { env, temporalAddress: options.temporalAddress, secrets, settings, fileSettings, settingsFile: options.settingsFile, activation, logger };
}

/** A Temporal client with callmatrix's data converter: the shim's, and the activities' that signal calls. */
export async function connectClient(ctx: ServiceContext): Promise<Client> {
  const connection = await Connection.connect({ address: ctx.temporalAddress });
  return new Client({ connection, namespace: ctx.env.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(ctx.secrets) });
}

export async function withTemporalConnection<T>(ctx: ServiceContext, work: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: ctx.temporalAddress });
  try {
    return await work(connection);
  } finally {
    await connection.close();
  }
}

export function createZoho(ctx: ServiceContext) {
  return createZohoClient({ credentials: ctx.activation, edition: ctx.env.ZOHO_EDITION, logger: ctx.logger.child({ component: 'zoho' }) });
}

export async function startWorker(ctx: ServiceContext, workflowBundlePath?: string): Promise<{ worker: Worker; running: Promise<void> }> {
  const zoho = createZoho(ctx);
  await checkMappingsAgainstCrm(zoho, ctx.settings(), ctx.settingsFile, ctx.logger);
  const connection = await NativeConnection.connect({ address: ctx.temporalAddress });
  const temporal = await connectClient(ctx);
  const taskQueue = ctx.env.CALLMATRIX_TASK_QUEUE;
  const callLog = configuredCallLog(ctx.env, ctx.settings());
  const worker = await createCallWorker({
    connection,
    namespace: ctx.env.TEMPORAL_NAMESPACE,
    taskQueue,
    activities: createActivities({
      zoho,
      settings: ctx.settings,
      integration: ctx.activation,
      temporal,
      taskQueue,
      callLog,
      logger: ctx.logger.child({ component: 'activities' }),
    }),
    dataConverter: dataConverterFor(ctx.secrets),
    workflowBundlePath,
    cpuTarget: ctx.env.CALLMATRIX_WORKER_CPU_TARGET,
  });
  await upsertReconciliationSchedule(temporal, { taskQueue, settings: ctx.settings().reconciliation, callLogConfigured: callLog !== undefined, logger: ctx.logger });
  const running = worker.run().finally(async () => {
    await temporal.connection.close();
    await connection.close();
  });
  ctx.logger.info({ taskQueue: ctx.env.CALLMATRIX_TASK_QUEUE, temporal: ctx.temporalAddress }, 'worker running');
  return { worker, running };
}

export async function startWebhook(
  ctx: ServiceContext,
  options: {
    /** Temporal UI origins allowed to decode call data (default CALLMATRIX_CODEC_ORIGIN). */
    codecOrigins?: string[];
    /** Accounts server the activation pages accept besides Zoho's own (default ZOHO_ACCOUNTS_URL; the demo's emulator). */
    accountsUrlOverride?: string;
  } = {},
): Promise<{ app: FastifyInstance; url: string; close(): Promise<void> }> {
  const temporal = await connectClient(ctx);
  const app = buildWebhookServer({
    temporal,
    taskQueue: ctx.env.CALLMATRIX_TASK_QUEUE,
    webhookSecret: ctx.secrets.webhookSecret,
    settings: ctx.settings,
    logger: ctx.logger,
    integration: () => integrationHealth(ctx.activation),
  });
  const zoho = createZoho(ctx);
  registerRouting(app, {
    zoho,
    settings: ctx.settings,
    webhookSecret: ctx.secrets.webhookSecret,
    integrationBroken: () => ctx.activation.broken() !== undefined,
    logger: ctx.logger.child({ component: 'routing' }),
  });
  if (ctx.secrets.adminToken) {
    registerActivationRoutes(app, {
      store: ctx.activation,
      zoho,
      fileSettings: ctx.fileSettings,
      adminToken: ctx.secrets.adminToken,
      publicUrl: publicUrl(ctx.env),
      accountsUrlOverride: options.accountsUrlOverride ?? ctx.env.ZOHO_ACCOUNTS_URL,
      defaultDc: ctx.env.ZOHO_DC,
      reactivate: (resend) => startReactivation(temporal, { taskQueue: ctx.env.CALLMATRIX_TASK_QUEUE, resend }),
    });
  }
  const codecOrigins = options.codecOrigins ?? ctx.env.CALLMATRIX_CODEC_ORIGIN?.split(',').map((o) => o.trim());
  if (codecOrigins?.length) registerCodecRoutes(app, { codec: dataConverterFor(ctx.secrets).payloadCodecs![0], allowedOrigins: codecOrigins });
  await app.listen({ host: ctx.env.CALLMATRIX_HOST, port: ctx.env.CALLMATRIX_PORT });
  const url = publicUrl(ctx.env);
  ctx.logger.info({ url }, 'webhook shim listening');
  return {
    app,
    url,
    async close() {
      await app.close();
      await temporal.connection.close();
    },
  };
}
