/**
 * The whole product on this machine, wired as in production: the Zoho CRM emulator (in the bench process), a
 * worker process and a webhook-shim process (children), on the shared Temporal dev server. The bench sends
 * webhooks over real HTTP and reads the emulator's request log and the workflows' results.
 */
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { openActivationStore } from '../../activation/credential-store';
import { emulatorCredentials } from '../../cli/demo';
import { createDataConverter } from '../../client/data-converter';
import { generateEncryptionKey } from '../../client/encryption-codec';
import type { CallStatusView } from '../../common/call-status';
import { callWorkflowId } from '../../common/temporal';
import { settingsSchema, type Settings } from '../../config/settings-schema';
import { EmulatorAdmin, startEmulator, type RunningEmulator } from '../../emulator';
import { createZohoClient, type ZohoUser } from '../../zoho';
import type { MemoryReport, ServiceConfig, ServiceMessage } from './service-process';
import { sharedTemporal } from './temporal';

export interface BenchUsers {
  senior: ZohoUser;
  ivan: ZohoUser;
  maria: ZohoUser;
  andrii: ZohoUser;
}

export interface BenchStack {
  emulator: RunningEmulator;
  admin: EmulatorAdmin;
  users: BenchUsers;
  temporal: Client;
  taskQueue: string;
  /** `${shim}/webhooks/ringostat?secret=…&event=`: append the moment. */
  webhookUrl(moment: 'start' | 'answer' | 'end'): string;
  /** One webhook as Ringostat sends it (JSON POST); resolves with the HTTP status once answered. */
  send(moment: 'start' | 'answer' | 'end', parameters: Record<string, string>): Promise<number>;
  result(callId: string): Promise<CallStatusView>;
  workerMemory(): Promise<MemoryReport>;
  workerPid: number;
  stop(): Promise<void>;
}

/** Serves the demo users as employees 101 (Ivan), 102 (Maria), 103 (Andrii); Olena is the senior manager. */
function benchSettings(users: BenchUsers): Settings {
  const employee = (user: ZohoUser, extension: string) => ({
    code: extension,
    name: user.full_name,
    zohoUserId: user.id,
    extensions: [extension],
    sipLogins: [user.full_name.split(' ')[0].toLowerCase()],
  });
  return settingsSchema.parse({
    seniorManager: { zohoUserId: users.senior.id },
    employees: [employee(users.ivan, '101'), employee(users.maria, '102'), employee(users.andrii, '103')],
  });
}

function startService(config: ServiceConfig): Promise<{ child: ChildProcess; url?: string }> {
  const child = fork(path.join(__dirname, 'service-process.ts'), [], {
    // CALLMATRIX_BENCH_PROFILE=<dir> writes V8 CPU profiles of each child (one per thread) to <dir>/<role>/ (open it in Chrome DevTools).
    execArgv: ['-r', '@swc-node/register', ...(process.env.CALLMATRIX_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.join(process.env.CALLMATRIX_BENCH_PROFILE, config.role)}`] : [])],
    env: { ...process.env, CALLMATRIX_BENCH_SERVICE: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const onMessage = (message: ServiceMessage) => {
      if (message.type === 'ready') resolve({ child, url: message.url });
      if (message.type === 'failed') reject(new Error(`${config.role} process failed: ${message.error}`));
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`${config.role} process exited (${code}) before it was ready`)));
  });
}

async function stopService(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send({ type: 'stop' });
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(killer);
}

export async function startBenchStack(options: { latencyMs: number }): Promise<BenchStack> {
  const { address, workflowBundlePath } = await sharedTemporal();
  const silent = pino({ level: 'silent' });
  const emulator = await startEmulator({ seed: 'empty', latencyMs: options.latencyMs });
  const admin = new EmulatorAdmin(emulator.url);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-bench-stack-'));
  const encryptionKey = generateEncryptionKey();
  const activation = await openActivationStore({ dataDir, encryptionKey, logger: silent, seed: await emulatorCredentials(emulator) });
  const zoho = createZohoClient({ credentials: activation, logger: silent });
  const byName = new Map((await zoho.listUsers('ActiveUsers')).map((u) => [u.full_name, u]));
  const users: BenchUsers = {
    senior: byName.get('Olena Koval')!,
    ivan: byName.get('Ivan Petrenko')!,
    maria: byName.get('Maria Shevchenko')!,
    andrii: byName.get('Andrii Bondar')!,
  };
  const settingsFile = path.join(dataDir, 'settings.json');
  fs.writeFileSync(settingsFile, JSON.stringify(benchSettings(users)));

  const taskQueue = `bench-${crypto.randomUUID()}`;
  const webhookSecret = crypto.randomBytes(18).toString('base64url');
  const config = { temporalAddress: address, taskQueue, workflowBundlePath, encryptionKey, dataDir, settingsFile, webhookSecret };
  const [worker, shim] = await Promise.all([startService({ role: 'worker', ...config }), startService({ role: 'webhook', ...config })]);
  const connection = await Connection.connect({ address });
  const temporal = new Client({ connection, namespace: 'default', dataConverter: createDataConverter(encryptionKey) });

  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const webhookUrl = (moment: string) => `${shim.url}/webhooks/ringostat?event=${moment}&secret=${webhookSecret}`;
  const send = (moment: 'start' | 'answer' | 'end', parameters: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const body = JSON.stringify(parameters);
      const request = http.request(
        webhookUrl(moment),
        { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', reject);
      request.end(body);
    });

  return {
    emulator,
    admin,
    users,
    temporal,
    taskQueue,
    webhookUrl,
    send,
    async result(callId) {
      return (await temporal.workflow.getHandle(callWorkflowId('ringostat', callId)).result()) as CallStatusView;
    },
    workerPid: worker.child.pid!,
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
      await emulator.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
