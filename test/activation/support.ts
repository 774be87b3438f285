/**
 * Shared set-up for the activation tests: a private data folder, an encryption key, an emulated Zoho org, a
 * logger whose lines are kept (to show no secret reaches a log), and the activation pages served by the HTTP
 * server the composition root (app/) builds for production.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import pino from 'pino';
import { openActivationStore, type ActivationStore, type ActivationStoreOptions } from '../../activation';
import { generateEncryptionKey } from '../../temporal/encryption-codec';
import { REDACTED_PATHS } from '../../config/logger';
import { settingsSchema, type Settings } from '../../matrix/settings-schema';
import { EmulatorAdmin, startEmulator, type EmulatorOptions, type RunningEmulator } from '@callmatrix/zoho-emulator';
import type { ZohoUser } from '../../zoho';
import { connectTemporalClient, startHttpServer } from '../../app';
import { portToListenOn } from '../support/listen-ports';
import { reactivationWorkflowId, type ReactivationInput } from '../../temporal/contracts';
import { emulatedAppContext, type StoredOrg } from '../support/emulated-app';

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-activation-'));
}

/** A logger configured like production's (redaction included), whose lines are kept in `lines`. */
export function capturingLogger(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'debug', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream), lines };
}

export interface StoreFixture {
  dataDir: string;
  encryptionKey: string;
  logger: pino.Logger;
  lines: string[];
  /** Another process's view of the same store. */
  open(options?: Partial<Pick<ActivationStoreOptions, 'encryptionKey' | 'previousEncryptionKeys' | 'seed'>>): Promise<ActivationStore>;
}

export function storeFixture(): StoreFixture {
  const dataDir = tempDataDir();
  const encryptionKey = generateEncryptionKey();
  const { logger, lines } = capturingLogger();
  return {
    dataDir,
    encryptionKey,
    logger,
    lines,
    open: (options = {}) => openActivationStore({ dataDir, encryptionKey, logger, ...options }),
  };
}

export interface ZohoOrg {
  emulator: RunningEmulator;
  admin: EmulatorAdmin;
  users: { senior: ZohoUser; ivan: ZohoUser; maria: ZohoUser; inactive: ZohoUser };
  close(): Promise<void>;
}

/** An emulated org; its users are read once through the emulator's own grant, as a test-only shortcut. */
export async function startZohoOrg(options: EmulatorOptions = {}): Promise<ZohoOrg> {
  const emulator = await startEmulator({ seed: 'empty', ...options });
  const admin = new EmulatorAdmin(emulator.url);
  const { accessToken, apiDomain } = await admin.authorize();
  const response = await fetch(`${apiDomain}/crm/v8/users?type=AllUsers`, { headers: { authorization: `Zoho-oauthtoken ${accessToken}` } });
  const all = ((await response.json()) as { users: ZohoUser[] }).users;
  const byName = (name: string) => all.find((u) => u.full_name === name)!;
  return {
    emulator,
    admin,
    users: { senior: byName('Olena Koval'), ivan: byName('Ivan Petrenko'), maria: byName('Maria Shevchenko'), inactive: byName('Taras Melnyk') },
    close: () => emulator.close(),
  };
}

/** Employees 101 and 102 with no Zoho user in the file: the activation maps them (A2). */
export function fileSettings(overrides: Record<string, unknown> = {}): Settings {
  return settingsSchema.parse({
    employees: [
      { code: '101', name: 'Ivan Petrenko', extensions: ['101'] },
      { code: '102', name: 'Maria Shevchenko', extensions: ['102'] },
    ],
    ...overrides,
  });
}

export interface ActivationServerOptions {
  /** CALLMATRIX_ADMIN_TOKEN: the pages are served only with one. */
  adminToken: string;
  /** The accounts server the pages accept besides Zoho's own (the emulator's), as ZOHO_ACCOUNTS_URL would. */
  accountsUrl?: string;
  /** CALLMATRIX_PUBLIC_URL; default: the address the server listens on, known before it listens (the redirect URI). */
  publicUrl?: string;
  /** CALLMATRIX_TRUST_PROXY. */
  trustProxy?: boolean;
  logger?: pino.Logger;
}

/** A run of the re-activation workflow (R2, R3) and the admin's "send data to the CRM" choice it was started with. */
export interface StartedReactivation {
  runId: string;
  resend: boolean;
}

export interface ActivationServer {
  /** Where the server listens (http://127.0.0.1:port). */
  base: string;
  /** The re-activation the pages started last, if any. */
  latestReactivation(): Promise<StartedReactivation | undefined>;
  close(): Promise<void>;
}

/**
 * The HTTP server production runs (webhook shim, routing, activation pages) on `org`'s activation store, on a task
 * queue of its own with no worker: a re-activation the pages start waits there, and is read back from Temporal.
 */
export async function startActivationServer(org: StoredOrg, options: ActivationServerOptions): Promise<ActivationServer> {
  const port = await portToListenOn();
  const base = `http://127.0.0.1:${port}`;
  const taskQueue = `activation-test-${crypto.randomUUID()}`;
  const context = emulatedAppContext(org, {
    env: {
      CALLMATRIX_TASK_QUEUE: taskQueue,
      CALLMATRIX_PUBLIC_URL: options.publicUrl ?? base,
      CALLMATRIX_TRUST_PROXY: options.trustProxy?.toString(),
    },
    secrets: { webhookSecret: crypto.randomBytes(18).toString('base64url'), adminToken: options.adminToken },
    settings: () => fileSettings(),
    logger: options.logger ?? pino({ level: 'silent' }),
  });
  const server = await startHttpServer(context, { listen: { host: '127.0.0.1', port, metricsPort: 0 }, accountsUrlOverride: options.accountsUrl });
  const temporal = await connectTemporalClient(context);
  const reactivation = temporal.workflow.getHandle(reactivationWorkflowId(taskQueue));
  return {
    base,
    latestReactivation: () => startedReactivation(temporal, reactivation.workflowId),
    async close() {
      await reactivation.terminate('activation test over').catch((error) => {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      });
      await temporal.connection.close();
      await server.close();
    },
  };
}

/** The latest run of the re-activation workflow and its input, decrypted as the worker would. */
async function startedReactivation(temporal: Client, workflowId: string): Promise<StartedReactivation | undefined> {
  let runId;
  try {
    ({ runId } = await temporal.workflow.getHandle(workflowId).describe());
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
  const started = (await temporal.workflow.getHandle(workflowId, runId).fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes;
  const { payloadCodecs, payloadConverter } = temporal.options.loadedDataConverter;
  let payloads = started!.input!.payloads!;
  for (const codec of [...payloadCodecs].reverse()) payloads = await codec.decode(payloads);
  const input = payloadConverter.fromPayload<ReactivationInput>(payloads[0]);
  return { runId, resend: input.resend };
}
