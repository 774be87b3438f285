/**
 * A callmatrix process of the bench stack, run as a child of the bench (as in production, where worker and shim
 * are processes of their own): `worker` runs the call worker, `webhook` the webhook shim. Configured by the
 * parent through CALLMATRIX_BENCH_SERVICE (JSON); talks to it over IPC: `ready` once serving, `memory` on request
 * (resident set size sampled every 20 ms, and the kernel's high-water mark), `stop` to drain and exit.
 */
import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { integrationHealth, openActivationStore } from '../../activation/credential-store';
import { createActivities } from '../../activities';
import { createDataConverter } from '../../temporal/data-converter';
import { buildWebhookServer } from '../../http/webhook-server';
import { loadSettingsFile } from '../../config/load-settings';
import { createCallWorker } from '../../worker/create-worker';
import { createZohoClient } from '../../zoho';
import { ringostatAdapter } from '../../telephony/ringostat';

export interface ServiceConfig {
  role: 'worker' | 'webhook';
  temporalAddress: string;
  taskQueue: string;
  workflowBundlePath: string;
  encryptionKey: string;
  /** Holds the activation store the parent seeded with the emulator's credentials. */
  dataDir: string;
  settingsFile: string;
  webhookSecret: string;
  /** The worker's CALLMATRIX_WORKER_CPU_TARGET; unset: full speed. */
  workerCpuTarget?: number;
  /** The Ringostat call log the worker reconciles with (L1); unset: reconciliation is off. */
  ringostat?: { apiUrl: string; apiKey: string };
}

export interface MemoryReport {
  /** Highest sampled RSS, bytes. */
  peakRss: number;
  /** VmHWM from /proc (Linux): the kernel's peak RSS, bytes; undefined elsewhere. */
  highWaterMark?: number;
  rss: number;
  heapUsed: number;
}

export type ServiceMessage = { type: 'ready'; url?: string } | { type: 'memory'; memory: MemoryReport } | { type: 'failed'; error: string };

const send = (message: ServiceMessage) => process.send?.(message);

function highWaterMark(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function main() {
  const config = JSON.parse(process.env.CALLMATRIX_BENCH_SERVICE ?? '') as ServiceConfig;
  const logger = pino({ level: 'warn' });
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 20);
  sampler.unref();

  const dataConverter = createDataConverter(config.encryptionKey);
  const settings = loadSettingsFile(config.settingsFile);
  let stop: () => Promise<void>;

  if (config.role === 'worker') {
    Runtime.install({ logger: { log() {}, trace() {}, debug() {}, info() {}, warn: (m: string) => logger.warn(m), error: (m: string) => logger.error(m) } });
    const activation = await openActivationStore({ dataDir: config.dataDir, encryptionKey: config.encryptionKey, logger });
    const zoho = createZohoClient({ credentials: activation, logger });
    const connection = await NativeConnection.connect({ address: config.temporalAddress });
    const temporal = new Client({ connection: await Connection.connect({ address: config.temporalAddress }), dataConverter });
    const worker = await createCallWorker({
      connection,
      namespace: 'default',
      taskQueue: config.taskQueue,
      activities: createActivities({
        zoho,
        settings: () => settings,
        integration: activation,
        logger,
        temporal,
        taskQueue: config.taskQueue,
        callLog: config.ringostat && ringostatAdapter.openCallLog!({ ...config.ringostat, timeZone: settings.reconciliation.timeZone }),
      }),
      dataConverter,
      workflowBundlePath: config.workflowBundlePath,
      cpuTarget: config.workerCpuTarget,
    });
    const running = worker.run();
    stop = async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
      await temporal.connection.close();
    };
    send({ type: 'ready' });
  } else {
    const activation = await openActivationStore({ dataDir: config.dataDir, encryptionKey: config.encryptionKey, logger });
    const connection = await Connection.connect({ address: config.temporalAddress });
    const temporal = new Client({ connection, namespace: 'default', dataConverter });
    const app = buildWebhookServer({
      temporal,
      taskQueue: config.taskQueue,
      webhookSecret: config.webhookSecret,
      settings: () => settings,
      logger,
      integration: () => integrationHealth(activation),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    stop = async () => {
      await app.close();
      await connection.close();
    };
    send({ type: 'ready', url: `http://127.0.0.1:${port}` });
  }

  process.on('message', (message: { type: string }) => {
    if (message.type === 'memory') {
      const usage = process.memoryUsage();
      peakRss = Math.max(peakRss, usage.rss);
      send({ type: 'memory', memory: { peakRss, highWaterMark: highWaterMark(), rss: usage.rss, heapUsed: usage.heapUsed } });
    } else if (message.type === 'stop') {
      void stop().finally(() => process.exit(0));
    }
  });
  // The parent died without saying stop: do not linger.
  process.on('disconnect', () => void stop().finally(() => process.exit(0)));
}

main().catch((error: unknown) => {
  send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
