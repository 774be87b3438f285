/**
 * The `callmatrix worker` command as production runs it, in a child process against the test Temporal server and
 * a Zoho emulator (#12 items 1, 3): it serves /metrics on CALLMATRIX_WORKER_METRICS_PORT, on
 * CALLMATRIX_METRICS_HOST, with callmatrix's metrics and the Temporal SDK's, and writes JSON log lines only (not a
 * terminal), Temporal core's included, without ANSI colours. A call whose data was encrypted with a key the worker
 * lacks (a shim configured with another CALLMATRIX_ENCRYPTION_KEY) fails its workflow tasks, which the SDK's
 * metric counts (the CallmatrixWorkflowTasksFailing alert), and the log names the key id to add.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import axios from 'axios';
import { emulatorCredentials } from '../../cli/demo';
import { portToListenOn } from '../support/listen-ports';
import { startEmulator, type RunningEmulator } from '@callmatrix/zoho-emulator';
import { generateEncryptionKey } from '../../temporal/encryption-codec';
import { Client, Connection } from '@temporalio/client';
import { createDataConverter } from '../../temporal/data-converter';
import { callEventSignal, callWorkflowId, workflowTypes } from '../../temporal/contracts';
import { createZohoClient } from '../../zoho';
import pino from 'pino';
import { writeDemoSettings } from '../../cli/demo';
import { METRIC_NAMES, TEMPORAL_SDK_METRICS } from '../../observability/metrics';
import { useCallmatrixCli } from '../support/callmatrix-cli';

const ROOT = path.resolve(__dirname, '../..');
const cli = useCallmatrixCli();
let emulator: RunningEmulator;
let dir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ seed: 'empty' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-worker-'));
});
afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child!.once('exit', resolve));
  }
  await emulator?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it('serves callmatrix and Temporal SDK metrics on the worker port and logs JSON lines, core logs included', async () => {
  const credentials = await emulatorCredentials(emulator);
  const settingsFile = await writeDemoSettings(createZohoClient({ credentials: { current: async () => credentials }, logger: pino({ level: 'silent' }) }), dir);
  const port = await portToListenOn();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
    CALLMATRIX_SETTINGS: settingsFile,
    CALLMATRIX_DATA_DIR: dir,
    CALLMATRIX_WEBHOOK_SECRET: 'a-webhook-secret-of-length',
    CALLMATRIX_ENCRYPTION_KEY: generateEncryptionKey(),
    CALLMATRIX_TASK_QUEUE: `worker-process-${port}`,
    CALLMATRIX_WORKER_METRICS_PORT: String(port),
    ZOHO_CLIENT_ID: credentials.clientId,
    ZOHO_CLIENT_SECRET: credentials.clientSecret,
    ZOHO_REFRESH_TOKEN: credentials.refreshToken,
    ZOHO_ACCOUNTS_URL: credentials.accountsUrl,
    LOG_LEVEL: 'info',
  };
  delete env.LOG_FORMAT;
  const bundle = process.env.CALLMATRIX_TEST_WORKFLOW_BUNDLE!;
  child = cli.spawn(['worker', '--workflow-bundle', bundle], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));

  const deadline = Date.now() + 40_000;
  while (!stdout.includes('worker metrics listening')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the worker did not start:\n${stdout}\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // The SDK's exporter has metrics once the worker polls.
  let metrics = '';
  while (!/^temporal_\w+/m.test(metrics) && Date.now() < deadline) {
    metrics = (await axios.get<string>(`http://127.0.0.1:${port}/metrics`, { responseType: 'text' })).data;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  expect(metrics).toMatch(/^temporal_\w+/m);

  // A call encrypted with another key: the worker cannot read it, and its workflow task fails (and is retried).
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const otherShim = new Client({ connection, dataConverter: createDataConverter(generateEncryptionKey()) });
  const callId = `${Date.now()}.key-mismatch`;
  const call = await otherShim.workflow.signalWithStart(workflowTypes.call, {
    workflowId: callWorkflowId('ringostat', callId),
    taskQueue: env.CALLMATRIX_TASK_QUEUE!,
    signal: callEventSignal,
    signalArgs: [{ provider: 'ringostat', callId } as never],
  });
  try {
    while (!/^temporal_workflow_task_execution_failed_total\{/m.test(metrics) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      metrics = (await axios.get<string>(`http://127.0.0.1:${port}/metrics`, { responseType: 'text' })).data;
    }
  } finally {
    await call.terminate('test over');
    await connection.close();
  }
  // The SDK's metric names the dashboard and alerts use exist under the exporter options the runtime sets.
  for (const name of TEMPORAL_SDK_METRICS) expect(metrics).toMatch(new RegExp(`^${name}(_bucket|_count|_sum)?[{ ]`, 'm'));
  expect(metrics).toContain(`# TYPE ${METRIC_NAMES.callsTotal} counter`);
  expect(metrics).toContain(`${METRIC_NAMES.zohoRequests}{endpoint="/settings/fields"`);

  child.kill('SIGTERM');
  await new Promise((resolve) => child!.once('exit', resolve));
  expect(stdout + stderr).not.toContain('\u001b[');
  const lines = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines.some((line) => line.component === 'temporal-sdk' && line.sdkComponent === 'core')).toBe(true);
  // The workflow task's failure says which variable the missing key belongs in.
  expect(lines.some((line) => JSON.stringify(line).includes('CALLMATRIX_ENCRYPTION_KEYS_PREVIOUS'))).toBe(true);
  expect(stderr).toBe('');
});
