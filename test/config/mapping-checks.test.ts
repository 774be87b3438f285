/**
 * D3: a configuration that maps two parameters to one Zoho field, or a parameter to a missing or non-String field,
 * is rejected at start with an error naming the file and the field; D4: so is a pipeline rule naming a pipeline or
 * an open stage the CRM does not have, naming the rule. A worker started before the integration was
 * activated (A1) cannot check them yet: it says so on one log line naming what to do, without a stack.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { openActivationStore } from '../../activation/credential-store';
import { generateEncryptionKey } from '../../temporal/encryption-codec';
import { checkSettingsAgainstCrm } from '../../app/check-settings';
import { emulatorCredentials } from '../../cli/demo';
import { parseSettings } from '../../config/load-settings';
import { settingsSchema } from '../../matrix/settings-schema';
import { startEmulator, type RunningEmulator } from '@callmatrix/zoho-emulator';
import { createZohoClient, type ZohoClient } from '../../zoho';

const silent = pino({ level: 'silent' });

it('D3: two parameters into one field are rejected when the file is read', () => {
  const yaml = ['mappings:', '  Leads:', '    pool_name: rs_pool_name', '    landing: rs_pool_name'].join('\n');
  expect(() => parseSettings(yaml, 'callmatrix.yaml')).toThrow(
    /^callmatrix\.yaml, line 2: mappings\.Leads: field rs_pool_name would receive 'pool_name' and 'landing'/,
  );
});

describe('D3 against the CRM at worker start', () => {
  let emulator: RunningEmulator;
  let zoho: ZohoClient;
  beforeAll(async () => {
    emulator = await startEmulator({ seed: 'empty' });
    const credentials = await emulatorCredentials(emulator);
    zoho = createZohoClient({ credentials: { current: async () => credentials }, logger: silent });
  });
  afterAll(() => emulator.close());

  const settings = (mapping: Record<string, string>) => settingsSchema.parse({ mappings: { Deals: mapping } });

  it('accepts String targets', async () => {
    await expect(checkSettingsAgainstCrm(zoho, settings({ pool_name: 'rs_pool_name' }), 'x.yaml', silent)).resolves.toBeUndefined();
  });

  it('rejects a non-String target and a missing one, naming file, module and field', async () => {
    const check = checkSettingsAgainstCrm(zoho, settings({ pool_name: 'rs_call_count', landing: 'No_Such_Field' }), 'x.yaml', silent);
    await expect(check).rejects.toThrow(/x\.yaml: .*rs_call_count/);
    await expect(check).rejects.toThrow(/x\.yaml: .*No_Such_Field/);
  });

  it('D4: rejects pipeline rules naming a pipeline or an open stage the CRM does not have, naming file and rule', async () => {
    const rules = [
      { parameter: 'pool_name', equals: 'ads', pipeline: 'New', stage: 'In Progress' },
      { parameter: 'pool_name', equals: 'wholesale', pipeline: 'Partners' },
      { parameter: 'utm_source', equals: 'google', pipeline: 'Standard', stage: 'Closed Won' },
    ];
    const check = checkSettingsAgainstCrm(zoho, settingsSchema.parse({ pipelines: { rules } }), 'x.yaml', silent);
    await expect(check).rejects.toThrow("x.yaml: pipelines.rules[1]: the CRM has no pipeline 'Partners' (it has: Standard, New).\n" +
      "x.yaml: pipelines.rules[2]: 'Closed Won' is not an open stage of pipeline 'Standard'");
  });
});

it('A1: not activated yet, the worker says so on one warning line naming `callmatrix activate`, without a stack', async () => {
  const lines: Record<string, unknown>[] = [];
  const memory = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-unactivated-'));
  try {
    const activation = await openActivationStore({ dataDir, encryptionKey: generateEncryptionKey(), logger: silent });
    const zoho = createZohoClient({ credentials: activation, logger: silent });
    await checkSettingsAgainstCrm(zoho, settingsSchema.parse({}), 'callmatrix.yaml', pino({ level: 'info' }, memory));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  expect(lines).toEqual([expect.objectContaining({ level: 40, msg: expect.stringMatching(/^Zoho CRM is not activated yet.*`callmatrix activate`/) })]);
  expect(String(lines[0].msg)).not.toContain('\n');
  expect(JSON.stringify(lines[0])).not.toMatch(/stack|"err"|at \//);
});
