/**
 * Everything a scenario test needs, real and wired as in production: a Zoho CRM emulator on a random port, a
 * worker on the shared test Temporal server (its own task queue), and the HTTP server listening on real HTTP, both
 * built by the composition root (app/) as `callmatrix worker` and `callmatrix webhook` build them, activation
 * choices included.
 * Tests send webhooks and assert on the records the emulator ends up with.
 */
import crypto from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import axios from 'axios';
import pino, { type Logger } from 'pino';
import type { ActivationStore } from '../../activation/credential-store';
import { deploymentCallerKey, type CallerKey } from '../../temporal/caller-key';
import { dataConverterFor, startHttpServer, startWorker, type RunningWorker } from '../../app';
import type { Metrics } from '../../observability/metrics';
import type { CallStatusView } from '../../temporal/call-status';
import { callStatusQuery, callWorkflowId, reconciliationScheduleId } from '../../temporal/contracts';
import type { Settings } from '../../matrix/settings-schema';
import type { EmulatorAdmin, EmulatorOptions, RunningEmulator } from '@callmatrix/zoho-emulator';
import type { CallLog } from '../../telephony/provider';
import { demoSettings, startEmulatedOrg, type DemoUsers } from './emulated-org';
import { emulatedAppContext } from './emulated-app';
import { portToListenOn } from './listen-ports';

// Workers log through the SDK's runtime logger; keep test output to errors (suspensions are expected warnings). The runtime is one per process and
// a jest worker runs several test files, so only the first file installs it.
try {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
} catch {
  // Already installed by an earlier test file in this jest worker.
}

export interface CallHarness {
  emulator: RunningEmulator;
  /** The shared activation store (encrypted file in a temporary data folder), as worker and shim use it. */
  activation: ActivationStore;
  taskQueue: string;
  /** Where the activation store is and the key of the call data: what a CLI on this deployment is given. */
  deployment: { dataDir: string; encryptionKey: string };
  /** The names of the callers' queues, as the worker computes them (temporal/caller-key.ts). */
  callerKey: CallerKey;
  admin: EmulatorAdmin;
  users: DemoUsers;
  temporal: Client;
  webhookUrl: string;
  /** The shim's Prometheus endpoint, on its own listener (not the webhook port). */
  metricsUrl: string;
  secret: string;
  /** Replaces the settings new calls are decided with. */
  setSettings(settings: Settings): void;
  /** Sends one webhook like Ringostat does (JSON POST by default) and returns the HTTP status and body. */
  send(event: 'start' | 'answer' | 'end', parameters: Record<string, unknown>, options?: { method?: 'GET' | 'POST'; form?: boolean }): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Waits for the call's workflow to finish and returns its final status view. */
  result(callId: string): Promise<CallStatusView>;
  status(callId: string): Promise<CallStatusView>;
  records(module: string): Promise<Record<string, unknown>[]>;
  uniqueCallId(): string;
  /** The running worker, as app/ built it (its compiled options say how it takes work). */
  worker(): Worker;
  /** Stops the worker and starts a new one, as a deployment or a crash would. */
  restartWorker(): Promise<void>;
  /** Pauses the reconciliation Schedule again after a test re-created or updated it (see `reconciliationOnDemand`). */
  pauseScheduledReconciliation(): Promise<void>;
  stop(): Promise<void>;
}

const silent = pino({ level: 'silent' });
export { demoSettings, type DemoUsers } from './emulated-org';

export async function startCallHarness(
  options: {
    emulator?: EmulatorOptions;
    workerCpuTarget?: number;
    /** The telephony's call log the worker reconciles with (L1). */
    callLog?: CallLog;
    /** Read the settings from this file, re-read and checked on edits as production does, instead of `setSettings`. */
    settingsFile?: (users: DemoUsers) => string;
    logger?: pino.Logger;
    /** Serve the activation pages with this admin token, against the emulator's accounts server. */
    adminToken?: string;
    /** Another Temporal server than the suite's (one with a Web UI). */
    temporalAddress?: string;
    /** The codec server for that Temporal UI: its port, the UI origins it serves and the token in its endpoint. */
    codec?: { port: number; origins: string[]; token: string };
    /** The port the shim listens on (default: a free one). */
    shimPort?: number;
    /** CALLMATRIX_TRUST_PROXY: the shim and codec server count sources by X-Forwarded-For (tests vary the source by it). */
    trustProxy?: boolean;
    /** The process's metrics and logger, for tests that read /metrics or the log lines (default: fresh, silent). */
    observe?: { metrics: Metrics; logger: Logger };
    /**
     * CALLMATRIX_ZOHO_COMPOSITE for this harness; by default the environment's (`CALLMATRIX_ZOHO_COMPOSITE=false
     * npx jest test/scenarios` runs the scenarios with one request per record).
     */
    composite?: boolean;
    /**
     * The worker's reconciliation Schedule (L1) paused, here and after a restart: the test runs reconciliation itself
     * (a run started or triggered), and no run of the Schedule's, which falls every `intervalMinutes` at multiples
     * of it since the epoch, reads the call log or starts a call in the middle of what the test counts.
     */
    reconciliationOnDemand?: boolean;
  } = {},
): Promise<CallHarness> {
  const bundle = process.env.CALLMATRIX_TEST_WORKFLOW_BUNDLE;
  if (!bundle) throw new Error('the jest global setup did not build the workflow bundle');

  const org = await startEmulatedOrg(options.emulator, options.observe?.logger);
  const { emulator, admin, activation, users, encryptionKey } = org;
  let settings = demoSettings(users);
  const settingsFile = options.settingsFile?.(users);

  // The app as production wires it (app/), on this test's task queue and data folder; only the settings file is
  // replaced by settings the test sets, under the activation's choices like a file's.
  const taskQueue = `test-${crypto.randomUUID()}`;
  // The activation pages send Zoho a redirect URI on the shim's public URL: known before the shim listens.
  const port = options.shimPort ?? (options.adminToken ? await portToListenOn() : 0);
  const secret = crypto.randomBytes(18).toString('base64url');
  const context = emulatedAppContext(org, {
    temporalAddress: options.temporalAddress,
    env: {
      CALLMATRIX_TASK_QUEUE: taskQueue,
      CALLMATRIX_WORKER_CPU_TARGET: options.workerCpuTarget?.toString(),
      CALLMATRIX_ZOHO_COMPOSITE: options.composite?.toString() ?? process.env.CALLMATRIX_ZOHO_COMPOSITE,
      CALLMATRIX_PUBLIC_URL: port ? `http://127.0.0.1:${port}` : undefined,
      CALLMATRIX_TRUST_PROXY: options.trustProxy?.toString(),
    },
    secrets: { webhookSecret: secret, adminToken: options.adminToken, codecToken: options.codec?.token },
    settings: settingsFile ? { file: settingsFile } : () => settings,
    logger: options.observe?.logger ?? options.logger ?? silent,
    metrics: options.observe?.metrics,
  });
  const address = context.temporalAddress;
  const connection = await Connection.connect({ address });
  const temporal = new Client({ connection, namespace: 'default', dataConverter: dataConverterFor(context.secrets) });
  /**
   * A run the Schedule started before the pause (its time fell between the worker's upsert and the pause) ends
   * before the test goes on, so nothing of it comes later.
   */
  const pauseScheduledReconciliation = async () => {
    const schedule = temporal.schedule.getHandle(reconciliationScheduleId(taskQueue));
    await schedule.pause('test: reconciliation runs on demand');
    for (const { workflow } of (await schedule.describe()).info.runningActions) {
      await temporal.workflow.getHandle(workflow.workflowId, workflow.firstExecutionRunId).result().catch(() => undefined);
    }
  };
  const startHarnessWorker = async () => {
    const started = await startWorker(context, { workflowBundlePath: bundle, callLog: options.callLog });
    if (options.reconciliationOnDemand) await pauseScheduledReconciliation();
    return started;
  };
  let worker: RunningWorker = await startHarnessWorker();
  const server = await startHttpServer(context, { listen: { host: '127.0.0.1', port, metricsPort: 0 }, accountsUrlOverride: emulator.accountsUrl, codec: options.codec && { port: options.codec.port, origins: options.codec.origins } });
  const webhookUrl = server.url;

  const handle = (callId: string) => temporal.workflow.getHandle(callWorkflowId('ringostat', callId));
  return {
    emulator,
    activation,
    taskQueue,
    deployment: { dataDir: org.dataDir, encryptionKey },
    callerKey: await deploymentCallerKey(activation, encryptionKey),
    admin,
    users,
    temporal,
    webhookUrl,
    metricsUrl: server.metricsUrl,
    secret,
    setSettings(next) {
      settings = next;
    },
    async send(event, parameters, { method = 'POST', form = false } = {}) {
      const url = `${webhookUrl}/webhooks/ringostat`;
      const query = { event, secret };
      const response =
        method === 'GET'
          ? await axios.get(url, { params: { ...query, ...parameters }, validateStatus: () => true })
          : await axios.post(url, form ? new URLSearchParams(parameters as Record<string, string>).toString() : parameters, {
              params: query,
              headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
              validateStatus: () => true,
            });
      return { status: response.status, body: response.data as Record<string, unknown> };
    },
    async result(callId) {
      return (await handle(callId).result()) as CallStatusView;
    },
    async status(callId) {
      return handle(callId).query(callStatusQuery);
    },
    records: (module) => admin.records(module),
    uniqueCallId: () => `${Date.now()}.${crypto.randomInt(1_000_000)}`,
    worker: () => worker.worker,
    async restartWorker() {
      await worker.stop();
      worker = await startHarnessWorker();
    },
    pauseScheduledReconciliation,
    async stop() {
      await server.close();
      await worker.stop();
      await connection.close();
      await org.close();
    },
  };
}
