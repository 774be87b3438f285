/**
 * [Operations] The worker's gauges read from Temporal's visibility (suspended calls, running calls) must not take the
 * whole scrape down with Temporal: unreachable, a listing takes the client's retries (about 20 s) to fail, past
 * Prometheus' scrape timeout (10 s). The scrape would then fail, every worker metric would be missing and
 * CallmatrixDown would name the worker instead of Temporal. Real parts: a Temporal dev server of this test's own,
 * stopped, and the worker's metrics listener over HTTP.
 */
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { startDevServer } from '../../cli/temporal-dev-server';
import { createMetrics } from '../../observability/metrics';
import { serveMetrics } from '../../observability/metrics-listener';
import { runningCalls } from '../../observability/running-calls';
import { suspendedCalls } from '../../observability/suspended-calls';
import { portToListenOn } from '../support/listen-ports';

/** Prometheus' default scrape_timeout (observability/prometheus/prometheus.yml sets none). */
const SCRAPE_TIMEOUT_MS = 10_000;

it('[Operations] with Temporal unreachable, /metrics still answers within the scrape timeout, without the running-calls series', async () => {
  // Outside the ephemeral range: once the server stops, no other test's listen(0) takes its port and answers there.
  const server = await startDevServer({ port: await portToListenOn() });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const metrics = createMetrics({ defaultMetrics: false });
  // The reads a scrape gave up on go on until the client's retries end: the test waits for them before it ends.
  const reads: Promise<unknown>[] = [];
  const tracked = <T>(read: Promise<T>) => (reads.push(read), read);
  metrics.calls.readSuspendedFrom(() => tracked(suspendedCalls(client)));
  // Every scrape reads anew, as once the sample is older than its 30 s.
  metrics.calls.readRunningFrom(() => tracked(runningCalls(client, 'metrics-temporal-unreachable')), 0);
  const listener = await serveMetrics({ host: '127.0.0.1', port: 0, portVariable: 'CALLMATRIX_WORKER_METRICS_PORT', metrics, integration: () => ({ status: 'connected' }) as never, logger: pino({ level: 'silent' }) });
  try {
    const reachable = await (await fetch(listener.url)).text();
    expect(reachable).toMatch(/^callmatrix_calls_running\{status="in-progress"\} 0$/m);
    expect(reachable).toMatch(/^callmatrix_calls_suspended 0$/m);

    await server.stop();
    const response = await fetch(listener.url, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
    expect(response.status).toBe(200);
    const scraped = await response.text();
    expect(scraped).toContain('# TYPE callmatrix_calls_total counter');
    // No running-calls numbers rather than wrong ones (the suspended-calls gauges keep their last reading).
    expect(scraped).not.toMatch(/^callmatrix_calls_running\S* /m);
  } finally {
    await Promise.allSettled(reads);
    await listener.close();
    await connection.close();
    await server.stop();
  }
}, 60_000);
