/**
 * Shared set-up for the activation tests: a private data folder, an encryption key, an emulated Zoho org, and a
 * logger whose lines are kept (to show no secret reaches a log).
 */
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { openActivationStore, type ActivationStore, type ActivationStoreOptions } from '../../activation';
import { generateEncryptionKey } from '../../temporal/encryption-codec';
import { REDACTED_PATHS } from '../../config/logger';
import { settingsSchema, type Settings } from '../../matrix/settings-schema';
import { EmulatorAdmin, startEmulator, type EmulatorOptions, type RunningEmulator } from '@callmatrix/zoho-emulator';
import type { ZohoUser } from '../../zoho';

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

/** A port free now, for a server whose own URL must be known before it listens (the activation's redirect URI). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
