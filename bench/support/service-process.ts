/**
 * A callmatrix process of the bench stack, run as a child of the bench (as in production, where worker and shim
 * are processes of their own): `worker` runs the call worker, `webhook` the webhook shim. Configured by the
 * parent through CALLMATRIX_BENCH_SERVICE (JSON); talks to it over IPC: `ready` once serving, `memory` on request
 * (resident set size sampled every 20 ms, and the kernel's high-water mark), `stop` to drain and exit.
 */
import fs from 'node:fs';
import pino from 'pino';
import { openAppContext, startHttpServer, startWorker } from '../../app';
import { installTemporalRuntime } from '../../worker/runtime-logger';
import { loadEnvironment } from '../../config/environment';

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
  /** The telephony's call log for reconciliation (L1): RINGOSTAT_API_URL and RINGOSTAT_API_KEY. */
  ringostat?: { apiUrl: string; apiKey: string };
  /** CALLMATRIX_ZOHO_COMPOSITE for this process; default: the bench's environment's. */
  zohoComposite?: boolean;
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

/** Below stack.ts's SIGKILL after 15 s. */
const STOP_GRACE_MS = 10_000;

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

  // Opened as `callmatrix worker` and `callmatrix webhook` open it: the shared activation store the parent seeded,
  // the settings file, the environment a deployment would set.
  const context = await openAppContext({
    env: loadEnvironment({
      TEMPORAL_ADDRESS: config.temporalAddress,
      CALLMATRIX_TASK_QUEUE: config.taskQueue,
      CALLMATRIX_DATA_DIR: config.dataDir,
      CALLMATRIX_SETTINGS: config.settingsFile,
      RINGOSTAT_API_URL: config.ringostat?.apiUrl,
      RINGOSTAT_API_KEY: config.ringostat?.apiKey,
      CALLMATRIX_ZOHO_COMPOSITE: config.zohoComposite?.toString() ?? process.env.CALLMATRIX_ZOHO_COMPOSITE,
    }),
    temporalAddress: config.temporalAddress,
    secrets: { webhookSecret: config.webhookSecret, encryptionKey: config.encryptionKey, previousEncryptionKeys: [] },
    settingsFile: config.settingsFile,
    seed: null,
    logger,
  });
  let stop: () => Promise<void>;

  if (config.role === 'worker') {
    // As `callmatrix worker` installs it: the SDK's and Temporal core's warnings go through pino, not raw to stdout.
    await installTemporalRuntime(logger);
    const worker = await startWorker(context, { workflowBundlePath: config.workflowBundlePath });
    stop = () => worker.stop();
    send({ type: 'ready' });
  } else {
    const server = await startHttpServer(context, { listen: { host: '127.0.0.1', port: 0, metricsPort: 0 } });
    stop = () => server.close();
    send({ type: 'ready', url: server.url });
  }

  process.on('message', (message: { type: string }) => {
    if (message.type === 'memory') {
      const usage = process.memoryUsage();
      peakRss = Math.max(peakRss, usage.rss);
      send({ type: 'memory', memory: { peakRss, highWaterMark: highWaterMark(), rss: usage.rss, heapUsed: usage.heapUsed } });
    } else if (message.type === 'stop') {
      // A worker whose workflow tasks are stuck waiting may not finish stopping before the parent's SIGKILL (15 s);
      // exiting first still writes its CPU profile (CALLMATRIX_BENCH_PROFILE), which a kill would lose.
      setTimeout(() => process.exit(0), STOP_GRACE_MS).unref();
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
