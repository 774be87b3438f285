/**
 * `GET /metrics` in Prometheus' text format: the process's registry, followed by the Temporal SDK's metrics when
 * this process's runtime exports them (worker/runtime-logger.ts), so one scrape target covers a process.
 * Mounted only on a metrics listener (metrics-listener.ts), never on the public webhook port.
 */
import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics';

/** The SDK's exporter is on loopback in this process: if it does not answer at once, scrape without it. */
const SDK_SCRAPE_TIMEOUT_MS = 2_000;

async function temporalSdkMetrics(url: string | undefined): Promise<string> {
  if (!url) return '';
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(SDK_SCRAPE_TIMEOUT_MS) });
    return response.ok ? await response.text() : '';
  } catch {
    return '';
  }
}

export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics): void {
  app.get('/metrics', async (_request, reply) => {
    const [own, sdk] = await Promise.all([metrics.registry.metrics(), temporalSdkMetrics(metrics.temporalSdkMetricsUrl)]);
    return reply.type(metrics.registry.contentType).send(sdk ? `${own}\n${sdk}` : own);
  });
}
