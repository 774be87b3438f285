/**
 * What an operator reads from `callmatrix worker` started without a prebuilt bundle, in a child process (JSON lines,
 * LOG_LEVEL=info), against the test Temporal server and a Zoho emulator, with the webhook shim in this process:
 * - the worker bundles the workflows at start, and webpack's report (every module, a screenful) is no info line;
 * - a call whose write of its lead is answered 500 once is written on the retry, and the SDK's "Activity failed" warning
 *   about that first attempt carries no task token: the token completes or fails the activity for whoever reaches
 *   Temporal, so no log line may hold it (nor `task_token`, core's name for it).
 */
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import pino from 'pino';
import { startHttpServer, type RunningHttpServer } from '../../app';
import { writeDemoSettings } from '../../cli/demo';
import { portToListenOn } from '../support/listen-ports';
import { emulatedAppContext } from '../support/emulated-app';
import { startEmulatedOrg, type EmulatedOrg } from '../support/emulated-org';
import { useCallmatrixCli } from '../support/callmatrix-cli';
import { incomingCall } from '../scenarios/scenario-kit';

const ROOT = path.resolve(__dirname, '../..');
const cli = useCallmatrixCli();
let org: EmulatedOrg;
let child: ChildProcess | undefined;
let shim: RunningHttpServer | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child!.once('exit', resolve));
  }
  await shim?.close();
  await org?.close();
});

it('bundles at start without webpack\'s report at info, and logs a failed activity attempt without its task token', async () => {
  org = await startEmulatedOrg();
  const settingsFile = await writeDemoSettings(org.zoho, org.dataDir);
  const taskQueue = `worker-start-logs-${crypto.randomUUID()}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
    CALLMATRIX_SETTINGS: settingsFile,
    CALLMATRIX_DATA_DIR: org.dataDir,
    CALLMATRIX_ENCRYPTION_KEY: org.encryptionKey,
    CALLMATRIX_TASK_QUEUE: taskQueue,
    CALLMATRIX_WORKER_METRICS_PORT: String(await portToListenOn()),
    // One request per record, so the fault below hits the write of the lead.
    CALLMATRIX_ZOHO_COMPOSITE: 'false',
    LOG_LEVEL: 'info',
  };
  delete env.LOG_FORMAT;
  child = cli.spawn(['worker'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const waitFor = async (text: string) => {
    const deadline = Date.now() + 90_000;
    while (!stdout.includes(text)) {
      if (child!.exitCode !== null || Date.now() > deadline) throw new Error(`the worker did not log ${text}:\n${stdout}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  await waitFor('"msg":"worker running"');

  const secret = crypto.randomBytes(18).toString('base64url');
  const context = emulatedAppContext(org, {
    env: { CALLMATRIX_TASK_QUEUE: taskQueue },
    secrets: { webhookSecret: secret },
    settings: { file: settingsFile },
    logger: pino({ level: 'silent' }),
  });
  shim = await startHttpServer(context, { listen: { host: '127.0.0.1', port: 0, metricsPort: 0 } });
  // The call's write of its lead is answered 500 once; Temporal retries the activity.
  await org.admin.addFault({ kind: 'error', status: 500, count: 1, match: { method: 'POST', module: 'Leads' } });
  const callId = `${Date.now()}.fails-once`;
  const answer = await fetch(`${shim.url}/webhooks/ringostat?event=end&secret=${secret}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(incomingCall(callId)),
  });
  expect(answer.status).toBe(200);
  await waitFor('"msg":"call written"');

  const lines = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  const failed = lines.filter((line) => line.msg === 'Activity failed');
  expect(failed.length).toBeGreaterThan(0);
  expect(failed[0]).toMatchObject({ level: 40, activityType: expect.any(String), workflowId: `call:ringostat:${callId}` });
  expect(stdout).not.toMatch(/task_?token/i);

  const infoOrAbove = lines.filter((line) => Number(line.level) >= 30).map((line) => String(line.msg));
  expect(infoOrAbove.filter((msg) => /webpack|workflow-bundle-|orphan modules|modules by path/.test(msg))).toEqual([]);
  expect(infoOrAbove.filter((msg) => msg.includes('\n'))).toEqual([]);
  expect(stderr).toBe('');
}, 150_000);
