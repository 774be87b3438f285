/**
 * A process's Prometheus endpoint on a listener of its own, never on the public webhook port: call volumes, Zoho
 * error rates and suspended calls are the company's business, so /metrics is reached only where
 * CALLMATRIX_METRICS_HOST puts it (loopback by default; the compose network in docker-compose). The shim
 * (CALLMATRIX_METRICS_PORT) and the `worker` command (CALLMATRIX_WORKER_METRICS_PORT) both serve theirs here.
 * For the same reason the operator's `/healthz/integration` is here too: the integration's status with why it broke
 * and since when, which the public health endpoints leave out (http/health.ts).
 */
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import type { IntegrationHealth } from '../activation/credential-store';
import { listenNaming } from '../http/listen';
import { registerIntegrationHealth } from '../http/health';
import type { Metrics } from './metrics';
import { registerMetricsRoute } from './metrics-route';

export interface MetricsListener {
  /** The scrape URL, `http://<host>:<port>/metrics`. */
  url: string;
  close(): Promise<void>;
}

export async function serveMetrics(options: {
  host: string;
  /** 0 picks a free port (tests, benches). */
  port: number;
  /** The variable that moves the port, named when the port is taken. */
  portVariable: string;
  metrics: Metrics;
  /** The Zoho integration's state, whole, for `/healthz/integration`. */
  integration: () => IntegrationHealth;
  logger: Logger;
}): Promise<MetricsListener> {
  const app = Fastify({
    loggerInstance: options.logger.child({ component: 'metrics-http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  registerMetricsRoute(app, options.metrics);
  registerIntegrationHealth(app, options.integration);
  await listenNaming(app, options, options.portVariable);
  const { port } = app.server.address() as { port: number };
  return { url: `http://${options.host}:${port}/metrics`, close: () => app.close() };
}
