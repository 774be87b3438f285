/**
 * The whole product on this machine, wired as in production: the Zoho CRM emulator, a worker process and a
 * webhook-shim process (children of the bench), on the shared Temporal dev server. The bench sends
 * webhooks over real HTTP and reads the emulator's request log and the workflows' results.
 */
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createDataConverter } from '../../temporal/data-converter';
import type { CallStatusView } from '../../temporal/call-status';
import { callWorkflowId } from '../../temporal/contracts';
import type { EmulatorAdmin, RunningEmulator } from '@callmatrix/zoho-emulator';
import type { MemoryReport, ServiceConfig, ServiceMessage } from './service-process';
import { connectEmulatedOrg, demoSettings, type DemoUsers } from '../../test/support/emulated-org';
import { allCores, describeLayout, pin, type CpuLayout } from './cpu-layout';
import { startEmulatorProcess } from './emulator-process';
import { sharedTemporal, type SharedTemporal } from './temporal';

export type SendWebhook = (moment: 'start' | 'answer' | 'end', parameters: Record<string, string>) => Promise<number>;

export interface BenchStack {
  emulator: RunningEmulator;
  admin: EmulatorAdmin;
  users: DemoUsers;
  temporal: Client;
  taskQueue: string;
  /** `${shim}/webhooks/ringostat?secret=…&event=`: append the moment. */
  webhookUrl(moment: 'start' | 'answer' | 'end'): string;
  /** One webhook as Ringostat sends it (JSON POST); resolves with the HTTP status once answered. */
  send: SendWebhook;
  /**
   * A second shim process whose task queue no worker polls: its webhooks are acknowledged by the shim and the
   * Temporal server alone, with no call being written, which isolates the acknowledgement path.
   */
  startUnpolledShim(): Promise<{ send: SendWebhook; stop(): Promise<void> }>;
  result(callId: string): Promise<CallStatusView>;
  workerMemory(): Promise<MemoryReport>;
  /** `kill -9` of the worker process, as a crash would, then a new worker. */
  killWorker(): Promise<void>;
  workerPid: number;
  shimPid: number;
  emulatorPid: number;
  /** Where each process runs (cpu-layout.ts), or undefined when they share every core. */
  cpuLayout?: string;
  /** The Temporal dev server's pid; undefined when the benches run against an existing cluster. */
  temporalPid?: number;
  stop(): Promise<void>;
}


/**
 * Forks a TypeScript child of the bench that says `ready` (or `failed`) over IPC, its config in the environment
 * variable `envName`; with `cores`, pinned there from its start and again once ready, for threads made since.
 */
export function forkBenchChild(script: string, envName: string, config: object, label: string, cores?: string): Promise<{ child: ChildProcess; url?: string }> {
  const child = fork(script, [], {
    // CALLMATRIX_BENCH_PROFILE=<dir> writes V8 CPU profiles of each child (one per thread) to <dir>/<label>/ (open it in Chrome DevTools).
    execArgv: ['-r', '@swc-node/register', ...(process.env.CALLMATRIX_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.join(process.env.CALLMATRIX_BENCH_PROFILE, label)}`] : [])],
    env: { ...process.env, [envName]: JSON.stringify(config) },
    // The child's logs go to the bench's stderr with its progress: stdout holds the tables only.
    stdio: ['ignore', 2, 'inherit', 'ipc'],
  });
  if (cores) pin(child.pid, cores);
  return new Promise((resolve, reject) => {
    const onMessage = (message: ServiceMessage) => {
      if (message.type === 'ready') {
        if (cores) pin(child.pid, cores);
        resolve({ child, url: message.url });
      }
      if (message.type === 'failed') reject(new Error(`${label} process failed: ${message.error}`));
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`${label} process exited (${code}) before it was ready`)));
  });
}

const startService = (config: ServiceConfig, cores?: string) =>
  forkBenchChild(path.join(__dirname, 'service-process.ts'), 'CALLMATRIX_BENCH_SERVICE', config, config.role, cores);

export async function stopService(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send({ type: 'stop' });
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(killer);
}

export interface BenchStackOptions {
  latencyMs: number;
  /** A Temporal of the bench's own (default: the shared dev server). */
  temporal?: SharedTemporal;
  /** Settings overrides on top of the demo settings. */
  settings?: Record<string, unknown>;
  /** The Ringostat call log the worker reconciles with (L1). */
  ringostat?: ServiceConfig['ringostat'];
  /**
   * Where each process runs (cpu-layout.ts) until `stop`, which gives the shared dev server and the bench process
   * every core back.
   */
  layout?: CpuLayout;
  /** The worker's CALLMATRIX_ZOHO_COMPOSITE; default: the bench's environment's, or the product's default. */
  zohoComposite?: boolean;
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const { layout } = options;
  const { address, workflowBundlePath, pid: temporalPid } = options.temporal ?? (await sharedTemporal());
  const emulatorProcess = await startEmulatorProcess({ latencyMs: options.latencyMs });
  // Without taskset (not Linux) nothing is pinned, and the report says so.
  const pinned = layout !== undefined && pin(process.pid, layout.loadGenerator) && pin(emulatorProcess.pid, layout.emulator) && (temporalPid === undefined || pin(temporalPid, layout.temporal));
  const org = await connectEmulatedOrg(emulatorProcess.emulator);
  const { emulator, admin, users, dataDir, encryptionKey } = org;
  const settingsFile = path.join(dataDir, 'settings.json');
  fs.writeFileSync(settingsFile, JSON.stringify(demoSettings(users, options.settings)));

  const taskQueue = `bench-${crypto.randomUUID()}`;
  const webhookSecret = crypto.randomBytes(18).toString('base64url');
  const config = {
    temporalAddress: address,
    taskQueue,
    workflowBundlePath,
    encryptionKey,
    dataDir,
    settingsFile,
    webhookSecret,
    ringostat: options.ringostat,
    zohoComposite: options.zohoComposite,
  };
  const cores = (wanted: string | undefined) => (pinned ? wanted : undefined);
  const startWorker = () => startService({ role: 'worker', ...config }, cores(layout?.worker));
  const [first, shim] = await Promise.all([startWorker(), startService({ role: 'webhook', ...config }, cores(layout?.shim))]);
  let worker = first;
  const connection = await Connection.connect({ address });
  const temporal = new Client({ connection, namespace: 'default', dataConverter: createDataConverter(encryptionKey) });

  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const urlOf = (shimUrl: string | undefined) => (moment: string) => `${shimUrl}/webhooks/ringostat?event=${moment}&secret=${webhookSecret}`;
  const webhookUrl = urlOf(shim.url);
  const sender = (url: (moment: string) => string): SendWebhook => (moment, parameters) =>
    new Promise<number>((resolve, reject) => {
      const body = JSON.stringify(parameters);
      const request = http.request(
        url(moment),
        { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  const send = sender(webhookUrl);

  return {
    emulator,
    admin,
    users,
    temporal,
    taskQueue,
    webhookUrl,
    send,
    async startUnpolledShim() {
      const unpolled = await startService({ role: 'webhook', ...config, taskQueue: `${taskQueue}-unpolled` }, cores(layout?.shim));
      return { send: sender(urlOf(unpolled.url)), stop: () => stopService(unpolled.child) };
    },
    async result(callId) {
      return (await temporal.workflow.getHandle(callWorkflowId('ringostat', callId)).result()) as CallStatusView;
    },
    async killWorker() {
      const exited = new Promise<void>((resolve) => worker.child.once('exit', () => resolve()));
      worker.child.kill('SIGKILL');
      await exited;
      // As an orchestrator would, start it again until it runs (Temporal may be down for a moment).
      for (let attempt = 1; ; attempt += 1) {
        try {
          worker = await startWorker();
          return;
        } catch (error) {
          if (attempt === 10) throw error;
          await new Promise((resolve) => setTimeout(resolve, 2_000));
        }
      }
    },
    get workerPid() {
      return worker.child.pid!;
    },
    shimPid: shim.child.pid!,
    cpuLayout: pinned ? describeLayout(layout) : undefined,
    emulatorPid: emulatorProcess.pid,
    temporalPid,
    workerMemory() {
      return new Promise((resolve) => {
        const onMessage = (message: ServiceMessage) => {
          if (message.type !== 'memory') return;
          worker.child.off('message', onMessage);
          resolve(message.memory);
        };
        worker.child.on('message', onMessage);
        worker.child.send({ type: 'memory' });
      });
    },
    async stop() {
      agent.destroy();
      await Promise.all([stopService(shim.child), stopService(worker.child)]);
      await connection.close();
      await org.close();
      if (pinned) {
        pin(temporalPid, allCores());
        pin(process.pid, allCores());
      }
    },
  };
}
