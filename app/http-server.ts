/**
 * The HTTP server process's parts, built from an AppContext, on one fastify app: the webhook shim with /healthz,
 * the smart-routing endpoint and the activation pages (with an admin token); and, on listeners of their own, the
 * process's /metrics and the operator's /healthz/integration (CALLMATRIX_METRICS_PORT: never on the public port) and
 * the codec server for the Temporal UI (with CALLMATRIX_CODEC_PORT and its token).
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { integrationHealth } from '../activation/credential-store';
import { registerActivationRoutes } from '../activation/routes';
import { ConfigError, listenProblem } from '../config/config-error';
import { publicUrl } from '../config/environment';
import { startCodecServer, type RunningCodecServer } from '../http/codec-server';
import { registerRouting } from '../http/routing';
import { warnOfUntrustedProxy } from '../http/forwarded';
import { WrongSecrets } from '../http/secret';
import { buildWebhookServer } from '../http/webhook-server';
import { serveMetrics, type MetricsListener } from '../observability/metrics-listener';
import { callerKeyOfEvent, deploymentCallerKey } from '../temporal/caller-key';
import { startReactivation } from '../temporal/reactivation';
import { connectTemporalClient, type AppContext } from './app-context';
import { dataConverterFor } from './shared-resources';

export interface HttpServerOptions {
  /** The codec server for the Temporal UI (default: on CALLMATRIX_CODEC_PORT when set, for CALLMATRIX_CODEC_ORIGIN). */
  codec?: { port: number; origins: string[] };
  /** Accounts server the activation pages accept besides Zoho's own (default ZOHO_ACCOUNTS_URL; the demo's emulator). */
  accountsUrlOverride?: string;
  /**
   * Where to listen (default CALLMATRIX_HOST and CALLMATRIX_PORT, metrics on CALLMATRIX_METRICS_HOST and
   * CALLMATRIX_METRICS_PORT); port 0 picks a free one (tests, benches), the metrics on the same host.
   */
  listen?: { host: string; port: number; metricsPort: number };
}

export interface RunningHttpServer {
  app: FastifyInstance;
  /** Where the telephony reaches the server: CALLMATRIX_PUBLIC_URL, or the address it listens on. */
  url: string;
  /** The process's Prometheus endpoint, on its metrics listener. */
  metricsUrl: string;
  close(): Promise<void>;
}

/** Every route of the HTTP server on one fastify app, not yet listening. */
export function buildHttpServer(context: AppContext, temporal: Client, wrongSecrets: WrongSecrets, options: HttpServerOptions = {}): FastifyInstance {
  const { env, secrets, org, logger } = context;
  const webhookSecret = secrets.webhookSecret;
  if (!webhookSecret) throw new ConfigError('environment variable CALLMATRIX_WEBHOOK_SECRET: required by the webhook shim (at least 16 characters)');
  const taskQueue = env.CALLMATRIX_TASK_QUEUE;
  const app = buildWebhookServer({
    temporal,
    taskQueue,
    webhookSecret,
    wrongSecrets,
    settings: org.settings,
    logger,
    integration: () => integrationHealth(org.activation),
    temporalDeadlineMs: env.CALLMATRIX_TEMPORAL_DEADLINE_MS,
    metrics: context.metrics,
    callerKeyOf: callerKeyOfEvent(() => deploymentCallerKey(org.activation, secrets.encryptionKey), () => org.settings().telephony.defaultCountry),
  });
  if (!env.CALLMATRIX_TRUST_PROXY) app.addHook('onRequest', warnOfUntrustedProxy(logger));
  registerRouting(app, {
    zoho: org.zoho,
    settings: org.settings,
    webhookSecret,
    wrongSecrets,
    integrationBroken: () => org.activation.broken() !== undefined,
    logger: logger.child({ component: 'routing' }),
    lookupsPerMinute: env.CALLMATRIX_ROUTING_LOOKUPS_PER_MINUTE,
    trustProxy: env.CALLMATRIX_TRUST_PROXY,
    metrics: context.metrics,
  });
  if (secrets.adminToken) {
    registerActivationRoutes(app, {
      store: org.activation,
      zoho: org.zoho,
      fileSettings: org.fileSettings,
      adminToken: secrets.adminToken,
      publicUrl: publicUrl(env),
      accountsUrlOverride: options.accountsUrlOverride ?? env.ZOHO_ACCOUNTS_URL,
      defaultDc: env.ZOHO_DC,
      reactivate: (resend) => startReactivation(temporal, org.activation, { taskQueue, resend }),
      trustProxy: env.CALLMATRIX_TRUST_PROXY,
    });
  }
  return app;
}

/** The codec server of this deployment, on its own port, when configured (or asked for by `npm start`). */
function startConfiguredCodecServer(context: AppContext, wrongSecrets: WrongSecrets, demo?: { port: number; origins: string[] }) {
  const { env, secrets, logger } = context;
  const port = demo?.port ?? env.CALLMATRIX_CODEC_PORT;
  if (port === undefined || !secrets.codecToken) return undefined;
  return startCodecServer({
    codec: dataConverterFor(secrets).payloadCodecs![0],
    token: secrets.codecToken,
    wrongSecrets,
    allowedOrigins: demo?.origins ?? (env.CALLMATRIX_CODEC_ORIGIN ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    host: env.CALLMATRIX_CODEC_HOST,
    port,
    portVariable: 'CALLMATRIX_CODEC_PORT',
    logger: logger.child({ component: 'codec' }),
  });
}

export async function startHttpServer(context: AppContext, options: HttpServerOptions = {}): Promise<RunningHttpServer> {
  const { env, logger } = context;
  const temporal = await connectTemporalClient(context);
  // A namespace the cluster lacks would have every webhook answered 503 while /readyz says ready: stop now, naming it.
  const deadline = Date.now() + env.CALLMATRIX_TEMPORAL_DEADLINE_MS;
  const describe = () => temporal.workflowService.describeNamespace({ namespace: env.TEMPORAL_NAMESPACE });
  await temporal.connection.withDeadline(deadline, describe).catch(async (error: unknown) => {
    await temporal.connection.close();
    throw error;
  });
  // One budget of wrong secrets per source, for the webhook, routing and codec endpoints alike (http/secret.ts).
  const wrongSecrets = new WrongSecrets({ trustProxy: env.CALLMATRIX_TRUST_PROXY, metrics: context.metrics });
  const app = buildHttpServer(context, temporal, wrongSecrets, options);
  const { host, port } = options.listen ?? { host: env.CALLMATRIX_HOST, port: env.CALLMATRIX_PORT };
  const metricsAt = options.listen
    ? { host: options.listen.host, port: options.listen.metricsPort }
    : { host: env.CALLMATRIX_METRICS_HOST, port: env.CALLMATRIX_METRICS_PORT };
  let codecServer: RunningCodecServer | undefined;
  let metricsListener: MetricsListener;
  try {
    codecServer = await startConfiguredCodecServer(context, wrongSecrets, options.codec);
    await app.listen({ host, port });
    metricsListener = await serveMetrics({
      ...metricsAt,
      portVariable: 'CALLMATRIX_METRICS_PORT',
      metrics: context.metrics,
      integration: () => integrationHealth(context.org.activation),
      logger,
    });
  } catch (error) {
    await app.close();
    await codecServer?.close();
    await temporal.connection.close();
    throw options.listen ? error : listenProblem(error, { host, port }, 'CALLMATRIX_PORT');
  }
  const listening = (app.server.address() as { port: number }).port;
  const url = env.CALLMATRIX_PUBLIC_URL ?? `http://${host}:${listening}`;
  logger.info({ url, metrics: metricsListener.url }, 'webhook shim listening');
  return {
    app,
    url,
    metricsUrl: metricsListener.url,
    async close() {
      await app.close();
      await metricsListener.close();
      await codecServer?.close();
      await temporal.connection.close();
    },
  };
}
