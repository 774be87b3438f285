/**
 * The worker's own small HTTP listener (CALLMATRIX_WORKER_METRICS_PORT): the worker has no other server, and
 * Prometheus needs somewhere to scrape it. Routes are mounted by modules (`mounts`), so other worker endpoints
 * (a health check) can share the listener.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

export async function startWorkerListener(options: {
  host: string;
  port: number;
  logger: Logger;
  mounts: Array<(app: FastifyInstance) => void>;
}): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({
    loggerInstance: options.logger.child({ component: 'worker-http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  for (const mount of options.mounts) mount(app);
  await app.listen({ host: options.host, port: options.port });
  const { port } = app.server.address() as { port: number };
  return { url: `http://${options.host}:${port}`, close: () => app.close() };
}
