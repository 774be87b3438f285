/**
 * A Zoho org on the emulator, connected as callmatrix connects a real one: an emulator on a random port, an
 * activation store (encrypted file in a temporary data folder) seeded by an admin's grant code, a Zoho client on
 * it, and the demo users with the settings that make them employees. Shared by the test harness and the benches.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { openActivationStore, type ActivationStore } from '../../activation/credential-store';
import { emulatorCredentials } from '../../cli/demo';
import { generateEncryptionKey } from '../../temporal/encryption-codec';
import { settingsSchema, type Settings } from '../../matrix/settings-schema';
import { EmulatorAdmin, startEmulator, type EmulatorOptions, type RunningEmulator } from '@callmatrix/zoho-emulator';
import { createZohoClient, type ZohoClient, type ZohoUser } from '../../zoho';

export interface DemoUsers {
  senior: ZohoUser;
  ivan: ZohoUser;
  maria: ZohoUser;
  andrii: ZohoUser;
  /** Taras Melnyk, deactivated: Zoho lets him own nothing, though records may still name him. */
  deactivated: ZohoUser;
}

export interface EmulatedOrg {
  emulator: RunningEmulator;
  admin: EmulatorAdmin;
  activation: ActivationStore;
  zoho: ZohoClient;
  users: DemoUsers;
  dataDir: string;
  encryptionKey: string;
  close(): Promise<void>;
}

/**
 * Demo settings: Olena is the senior manager; Ivan (101, sip ivan), Maria (102, sip maria) and Andrii (103) answer
 * calls. No recording grace (C2) unless `overrides.calls` sets one: the tests wait for each call's workflow to
 * complete, and a call without a recording would otherwise stay open for the default grace.
 */
export function demoSettings(users: DemoUsers, overrides: Record<string, unknown> = {}): Settings {
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
    ...overrides,
    calls: { recordingGraceMinutes: 0, ...(overrides.calls as object | undefined) },
  });
}

/** A fresh emulator in this process (no records) and its org. */
export async function startEmulatedOrg(options: EmulatorOptions = {}, logger?: pino.Logger): Promise<EmulatedOrg> {
  return connectEmulatedOrg(await startEmulator({ seed: 'empty', ...options }), logger);
}

/** The org of an emulator already running, in this process or another; `close` also stops the emulator. */
export async function connectEmulatedOrg(emulator: RunningEmulator, logger?: pino.Logger): Promise<EmulatedOrg> {
  const silent = pino({ level: 'silent' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-org-'));
  const encryptionKey = generateEncryptionKey();
  // The activation store logs with the process's logger, as app/ opens it (the break of the integration, R1).
  const activation = await openActivationStore({ dataDir, encryptionKey, logger: logger ?? silent, seed: await emulatorCredentials(emulator) });
  const zoho = createZohoClient({ credentials: activation, logger: silent });
  const byName = new Map((await zoho.listUsers('AllUsers')).map((u) => [u.full_name, u]));
  const users: DemoUsers = {
    senior: byName.get('Olena Koval')!,
    ivan: byName.get('Ivan Petrenko')!,
    maria: byName.get('Maria Shevchenko')!,
    andrii: byName.get('Andrii Bondar')!,
    deactivated: byName.get('Taras Melnyk')!,
  };
  return {
    emulator,
    admin: new EmulatorAdmin(emulator.url),
    activation,
    zoho,
    users,
    dataDir,
    encryptionKey,
    async close() {
      await emulator.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
