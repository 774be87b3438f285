/**
 * D3: a configuration that maps two parameters to one Zoho field, or a parameter to a missing or non-String field,
 * is rejected at start with an error naming the file and the field.
 */
import pino from 'pino';
import { checkMappingsAgainstCrm } from '../../app/check-mappings';
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
    await expect(checkMappingsAgainstCrm(zoho, settings({ pool_name: 'rs_pool_name' }), 'x.yaml', silent)).resolves.toBeUndefined();
  });

  it('rejects a non-String target and a missing one, naming file, module and field', async () => {
    const check = checkMappingsAgainstCrm(zoho, settings({ pool_name: 'rs_call_count', landing: 'No_Such_Field' }), 'x.yaml', silent);
    await expect(check).rejects.toThrow(/x\.yaml: .*rs_call_count/);
    await expect(check).rejects.toThrow(/x\.yaml: .*No_Such_Field/);
  });
});
