/**
 * A4 end to end: in an org where the admin created none of the fields callmatrix writes, `callmatrix doctor --fix`
 * shows what it will create, asks, and creates them through Zoho's Fields API; `doctor` then finds them, and the next
 * call writes its UTM and mapped parameters into them. An older activation without the scope gets a clear message.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Command } from 'commander';
import { activateWithCode, openActivationStore, type ActivationStore } from '../../activation';
import { registerActivationCommands } from '../../cli/activation-commands';
import { generateEncryptionKey } from '../../temporal/encryption-codec';
import { createZohoClient } from '../../zoho';
import { startCallHarness, type CallHarness } from '../support/call-harness';
import { endOnly, incomingCall, settings } from './scenario-kit';

let h: CallHarness;
beforeAll(async () => {
  h = await startCallHarness({ emulator: { customFields: 'none' } });
});
afterAll(async () => h?.stop());

const silent = pino({ level: 'silent' });
const A3_FIELDS = ['rs_utm_source', 'rs_utm_medium', 'rs_utm_campaign', 'rs_utm_term', 'rs_utm_content', 'rs_google_client_id'];

/** Runs `callmatrix <args>` on `store`, answering `answer` when asked. */
async function callmatrix(store: ActivationStore, answer: boolean, ...args: string[]): Promise<{ out: string; exitCode: number }> {
  let out = '';
  process.exitCode = undefined;
  const program = new Command('callmatrix').exitOverride();
  const fileSettings = settings(h, { mappings: { Leads: { pool_name: 'rs_pool_name' }, Contacts: { landing: 'rs_landing' } } });
  registerActivationCommands(program, async () => ({
    store,
    zoho: createZohoClient({ credentials: store, logger: silent }),
    fileSettings: () => fileSettings,
    callLogConfigured: true,
    reactivate: async () => ({ workflowId: 'unused' }),
    print: (text) => (out += text),
    printError: (text) => (out += text),
    confirm: async (question) => {
      out += question;
      return answer;
    },
    close: async () => {},
  }));
  await program.parseAsync(args, { from: 'user' });
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { out, exitCode };
}

const customFields = async (module: string): Promise<string[]> =>
  (await createZohoClient({ credentials: h.activation, logger: silent }).getFields(module as 'Leads')).filter((f) => f.custom_field).map((f) => f.api_name);

it('A4: an activation made without the fields CREATE scope is told which scope is missing and how to re-activate; nothing is created', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-a4-'));
  const older = await openActivationStore({ dataDir, encryptionKey: generateEncryptionKey(), logger: silent });
  const { code } = await h.admin.mintGrantCode({ scope: 'ZohoCRM.modules.ALL,ZohoCRM.settings.fields.READ,ZohoCRM.settings.layouts.READ,ZohoCRM.settings.pipeline.READ,ZohoCRM.users.READ' });
  const identity = { dc: 'us' as const, clientId: h.emulator.clientId, clientSecret: h.emulator.clientSecret, accountsUrl: h.emulator.accountsUrl };
  await activateWithCode(older, { ...identity, code, via: 'grant-code' });

  const result = await callmatrix(older, true, 'doctor', '--fix', '--yes');
  expect(result.exitCode).toBe(1);
  expect(result.out).toContain('will be created');
  expect(result.out).toMatch(/creating fields needs the scope ZohoCRM\.settings\.fields\.CREATE.*Re-activate/);
  expect(await customFields('Leads')).toEqual([]);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('A4: doctor --fix shows the missing fields, creates nothing when the admin says no, creates them with --yes; doctor then finds them and a call fills them', async () => {
  const before = await callmatrix(h.activation, false, 'doctor');
  expect(before.exitCode).toBe(1);
  for (const field of A3_FIELDS) expect(before.out).toContain(`[A3] Leads: field ${field} does not exist`);
  expect(before.out).toContain('[D3] Leads: field rs_pool_name does not exist');
  expect(before.out).toContain('[D3] Contacts: field rs_landing does not exist');

  const declined = await callmatrix(h.activation, false, 'doctor', '--fix');
  expect(declined.out).toContain('These String fields are missing and will be created in Zoho CRM:\n  Leads: rs_utm_source (Single Line, 255 characters)');
  expect(declined.out).toContain('Create them? [y/N] Nothing created.');
  expect(await customFields('Leads')).toEqual([]);

  const fixed = await callmatrix(h.activation, false, 'doctor', '--fix', '--yes');
  expect(fixed.out).not.toContain('Create them?');
  expect(fixed.out).toMatch(/Created Leads\.rs_utm_source \(id \d+\)\./);
  expect(fixed.out).toContain('Integration: connected\nNo problems found.');
  expect(fixed.exitCode).toBe(0);
  expect((await customFields('Leads')).sort()).toEqual([...A3_FIELDS, 'rs_pool_name'].sort());
  expect(await customFields('Contacts')).toEqual(['rs_landing']);

  const after = await callmatrix(h.activation, false, 'doctor', '--fix');
  expect(after.out).toContain('No field to create: every field callmatrix writes exists.');
  expect(after.out).toContain('No problems found.');

  const callId = h.uniqueCallId();
  expect((await endOnly(h, incomingCall(callId))).status).toBe('written');
  const [lead] = await h.records('Leads');
  expect(lead).toMatchObject({ rs_utm_source: 'google', rs_utm_medium: 'cpc', rs_utm_campaign: 'spring', rs_google_client_id: 'GA1.2.345', rs_pool_name: 'Contextual ads' });
});
