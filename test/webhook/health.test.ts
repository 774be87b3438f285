/**
 * #11 item 6: health that means something. `/healthz` is liveness, `/readyz` readiness (Temporal answers within
 * the deadline; on the worker, the worker runs), `/healthz/integration` what a monitor alerts on. The same on the
 * shim and on the worker's own health port; a broken integration is reported, never a failed liveness/readiness.
 * Those ports face strangers: they tell the integration's status only. Why it broke and since when are on the
 * operator's `/healthz/integration`, on the process's metrics listener.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import pino from 'pino';
import type { IntegrationHealth } from '../../activation/credential-store';
import { READINESS_REUSE_MS } from '../../http/health';
import { buildWebhookServer } from '../../http/webhook-server';
import { WrongSecrets } from '../../http/secret';
import { settingsSchema } from '../../matrix/settings-schema';
import { serveMetrics } from '../../observability/metrics-listener';
import { createMetrics } from '../../observability/metrics';
import { startWorkerHealthServer } from '../../worker/health-server';

try {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
} catch {
  // Already installed by an earlier test file in this jest worker.
}

const address = process.env.TEMPORAL_ADDRESS!;
let integration: IntegrationHealth = { status: 'connected', since: '2026-11-29T00:00:00.000Z' };
const broken: IntegrationHealth = { status: 'broken', reason: 'invalid_code', since: '2026-11-29T01:00:00.000Z' };
/** What a stranger reaching the shim or the worker's health port may learn of the integration. */
const status = (health: IntegrationHealth) => ({ status: health.status });

async function get(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function shimOn(temporalAddress: string) {
  const temporal = new Client({ connection: Connection.lazy({ address: temporalAddress }), namespace: 'default' });
  const app = buildWebhookServer({
    temporal,
    taskQueue: 'unused',
    webhookSecret: crypto.randomBytes(18).toString('base64url'),
    wrongSecrets: new WrongSecrets({ trustProxy: false }),
    settings: () => settingsSchema.parse({ employees: [] }),
    logger: pino({ level: 'silent' }),
    integration: () => integration,
    temporalDeadlineMs: 1_000,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    temporal,
    async close() {
      await app.close();
      await temporal.connection.close().catch(() => undefined);
    },
  };
}

beforeEach(() => {
  integration = { status: 'connected', since: '2026-11-29T00:00:00.000Z' };
});

describe('the webhook shim', () => {
  it('is live and ready while Temporal answers; a broken integration is reported, and alerts on /healthz/integration only', async () => {
    const shim = await shimOn(address);
    try {
      expect(await get(`${shim.url}/healthz`)).toEqual({ status: 200, body: { ok: true, integration: status(integration) } });
      expect(await get(`${shim.url}/readyz`)).toEqual({ status: 200, body: { ok: true, temporal: 'reachable', integration: status(integration) } });
      expect(await get(`${shim.url}/healthz/integration`)).toEqual({ status: 200, body: { ok: true, integration: status(integration) } });

      integration = broken;
      expect(await get(`${shim.url}/healthz`)).toEqual({ status: 200, body: { ok: true, integration: { status: 'broken' } } });
      expect(await get(`${shim.url}/readyz`)).toEqual({ status: 200, body: { ok: true, temporal: 'reachable', integration: { status: 'broken' } } });
      expect(await get(`${shim.url}/healthz/integration`)).toEqual({ status: 503, body: { ok: false, integration: { status: 'broken' } } });
      integration = { status: 'not-connected' };
      expect((await get(`${shim.url}/healthz/integration`)).status).toBe(503);
    } finally {
      await shim.close();
    }
  });

  it("asks Temporal at most once a second, however many readiness probes come", async () => {
    const shim = await shimOn(address);
    try {
      const asked = jest.spyOn(shim.temporal.workflowService, 'getSystemInfo');
      const startedAt = Date.now();
      const answers = await Promise.all(Array.from({ length: 20 }, () => get(`${shim.url}/readyz`)));
      for (let i = 0; i < 20; i += 1) answers.push(await get(`${shim.url}/readyz`));
      const probedForMs = Date.now() - startedAt;
      expect(answers.map((answer) => answer.status)).toEqual(Array(40).fill(200));
      // Once, or on a host so busy that the 40 probes took over a second, once more for each second they took.
      expect(asked.mock.calls.length).toBeGreaterThanOrEqual(1);
      expect(asked.mock.calls.length).toBeLessThanOrEqual(1 + Math.floor(probedForMs / READINESS_REUSE_MS));
      const askedBefore = asked.mock.calls.length;
      await new Promise((resolve) => setTimeout(resolve, READINESS_REUSE_MS + 100));
      expect((await get(`${shim.url}/readyz`)).status).toBe(200);
      expect(asked).toHaveBeenCalledTimes(askedBefore + 1);
    } finally {
      await shim.close();
    }
  });

  it('is not ready, within the deadline, while Temporal does not answer; still live', async () => {
    const held: net.Socket[] = [];
    const frozen = net.createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => frozen.listen(0, '127.0.0.1', resolve));
    const shim = await shimOn(`127.0.0.1:${(frozen.address() as net.AddressInfo).port}`);
    try {
      const started = Date.now();
      expect(await get(`${shim.url}/readyz`)).toEqual({
        status: 503,
        body: { ok: false, temporal: 'unreachable', integration: status(integration), errors: ['temporal: no answer within 1000 ms'] },
      });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect((await get(`${shim.url}/healthz`)).status).toBe(200);
    } finally {
      await shim.close();
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => frozen.close(resolve));
    }
  });
});

describe("the worker's health port", () => {
  it('is off unless CALLMATRIX_WORKER_HEALTH_PORT is set', async () => {
    const none = await startWorkerHealthServer(
      { CALLMATRIX_HOST: '127.0.0.1', CALLMATRIX_WORKER_HEALTH_PORT: undefined, CALLMATRIX_TEMPORAL_DEADLINE_MS: 1_000 },
      { worker: {} as Worker, temporal: {} as Client, integration: () => integration },
    );
    expect(none).toBeUndefined();
  });

  it('is ready only while the worker runs, and reports the integration\'s status like the shim', async () => {
    const nativeConnection = await NativeConnection.connect({ address });
    const connection = await Connection.connect({ address });
    const temporal = new Client({ connection, namespace: 'default' });
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue: `test-health-${crypto.randomUUID()}`,
      workflowBundle: { codePath: process.env.CALLMATRIX_TEST_WORKFLOW_BUNDLE! },
    });
    const free = net.createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const port = (free.address() as net.AddressInfo).port;
    await new Promise((resolve) => free.close(resolve));
    const health = (await startWorkerHealthServer(
      { CALLMATRIX_HOST: '127.0.0.1', CALLMATRIX_WORKER_HEALTH_PORT: port, CALLMATRIX_TEMPORAL_DEADLINE_MS: 2_000 },
      { worker, temporal, integration: () => integration },
    ))!;
    try {
      expect(await get(`${health.url}/readyz`)).toEqual({
        status: 503,
        body: { ok: false, temporal: 'reachable', integration: status(integration), errors: ['worker: initialized'] },
      });
      const running = worker.run();
      while (worker.getState() !== 'RUNNING') await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await get(`${health.url}/readyz`)).toEqual({ status: 200, body: { ok: true, temporal: 'reachable', integration: status(integration) } });
      integration = broken;
      expect(await get(`${health.url}/healthz`)).toEqual({ status: 200, body: { ok: true, integration: { status: 'broken' } } });
      expect(await get(`${health.url}/healthz/integration`)).toEqual({ status: 503, body: { ok: false, integration: { status: 'broken' } } });
      worker.shutdown();
      await running;
    } finally {
      await health.close();
      await nativeConnection.close();
      await connection.close();
    }
  });
});

describe("the metrics listener, the operator's", () => {
  it('answers /healthz/integration with why the integration broke and since when', async () => {
    const listener = await serveMetrics({
      host: '127.0.0.1',
      port: 0,
      portVariable: 'CALLMATRIX_METRICS_PORT',
      metrics: createMetrics({ defaultMetrics: false }),
      integration: () => integration,
      logger: pino({ level: 'silent' }),
    });
    const url = listener.url.replace(/\/metrics$/, '/healthz/integration');
    try {
      expect(await get(url)).toEqual({ status: 200, body: { ok: true, integration } });
      integration = broken;
      expect(await get(url)).toEqual({ status: 503, body: { ok: false, integration: broken } });
    } finally {
      await listener.close();
    }
  });
});
