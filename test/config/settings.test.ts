import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../config/config-error';
import { loadEnvironment } from '../../config/environment';
import { z } from 'zod';
import { loadSettingsFile, parseSettings } from '../../config/load-settings';
import { settingsSchema } from '../../matrix/settings-schema';

describe('settings file', () => {
  it('fills every default from an empty file', () => {
    const settings = parseSettings('', 'callmatrix.yaml');
    expect(settings.telephony.defaultCountry).toBe('UA');
    expect(settings.tasks.reviewDueMinutes).toBe(180); // M7: three hours
    expect(settings.matrix.mode).toBe('create');
  });

  it('names the file, the field and what is expected for each problem', () => {
    const text = ['telephony:', '  defaultCountry: ua', 'employees:', '  - code: 101', '    name: Ivan'].join('\n');
    const error = captureError(() => parseSettings(text, 'my.yaml'));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('my.yaml, line 2: telephony.defaultCountry: an ISO 3166-1 alpha-2 country code such as UA');
    expect(error.message).toContain('my.yaml, line 4: employees[0].code: Invalid input: expected string, received number');
    // The Zoho user may be chosen at activation instead (A2), so a missing zohoUserId is no error.
    expect(error.message).not.toContain('zohoUserId');
  });

  it('A2: refuses an employee phone that reads as no number, and a country whose numbers are unknown, naming each', () => {
    const text = ['employees:', '  - code: "101"', '    name: Ivan', '    phones: ["not a phone", "12", "+380441234502", "044 123 45 03"]'].join('\n');
    const problems = captureError(() => parseSettings(text, 'p.yaml')).message.split('\n');
    expect(problems).toEqual([
      'p.yaml, line 4: employees[0].phones[0]: "not a phone" is not a phone number: write it with its country code (+380…) or as a number of telephony.defaultCountry (UA)',
      'p.yaml, line 4: employees[0].phones[1]: "12" is not a phone number: write it with its country code (+380…) or as a number of telephony.defaultCountry (UA)',
    ]);
    const unknownCountry = captureError(() => parseSettings('telephony:\n  defaultCountry: XX\n', 'c.yaml')).message;
    expect(unknownCountry).toBe('c.yaml, line 2: telephony.defaultCountry: an ISO 3166-1 alpha-2 code of a country with phone numbers, such as UA');
  });

  it('A2, D3: reports every problem of a file in one run, each with its line: schema, employees claiming one code or line, one field given two parameters', () => {
    const text = [
      /* 1 */ 'tasks:',
      /* 2 */ '  callbackDueMinutes: soon',
      /* 3 */ 'employees:',
      /* 4 */ '  - code: "101"',
      /* 5 */ '    name: Ivan',
      /* 6 */ '    extensions: ["101"]',
      /* 7 */ '    sipLogins: [ivan]',
      /* 8 */ '    phones: ["+380441234502"]',
      /* 9 */ '  - code: "101"',
      /* 10 */ '    name: Maria',
      /* 11 */ '    extensions: ["101"]',
      /* 12 */ '    sipLogins: ["SIP:Ivan"]',
      /* 13 */ '    phones: ["044 123 45 02"]',
      /* 14 */ '  - code: "103"',
      /* 15 */ 'mappings:',
      /* 16 */ '  Leads:',
      /* 17 */ '    pool_name: rs_pool_name',
      /* 18 */ '    landing: rs_pool_name',
    ].join('\n');
    const problems = captureError(() => parseSettings(text, 'c.yaml')).message.split('\n');
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^c\.yaml, line 2: tasks\.callbackDueMinutes: /),
        expect.stringMatching(/^c\.yaml, line 14: employees\[2\]\.name: required$/),
        expect.stringMatching(/^c\.yaml, line 9: employees\[1\]\.code: employee code 101 is used twice/),
        expect.stringMatching(/^c\.yaml, line 11: employees\[1\]\.extensions\[0\]: extension 101 is claimed by employee 101/),
        expect.stringMatching(/^c\.yaml, line 12: employees\[1\]\.sipLogins\[0\]: SIP login ivan is claimed/),
        expect.stringMatching(/^c\.yaml, line 13: employees\[1\]\.phones\[0\]: phone \+380441234502 is claimed/),
        expect.stringMatching(/^c\.yaml, line 16: mappings\.Leads: field rs_pool_name would receive 'pool_name' and 'landing'/),
      ]),
    );
    expect(problems).toHaveLength(7);
  });

  it('rejects unknown keys, so a typo is not silently ignored', () => {
    const error = captureError(() => parseSettings('tasks:\n  callbackDueMinute: 30\n', 'x.yaml'));
    expect(error.message).toMatch(/x\.yaml, line 2: tasks\.callbackDueMinute: unknown field/);
  });

  it('reports YAML syntax errors and unreadable files with the file name', () => {
    expect(() => parseSettings('employees: [', 'broken.yaml')).toThrow(/broken\.yaml: not valid YAML/);
    expect(() => loadSettingsFile('/nonexistent/callmatrix.yaml')).toThrow(/\/nonexistent\/callmatrix\.yaml: cannot read the settings file \(ENOENT\)/);
  });

  it('reads JSON settings too', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cm-')), 'settings.json');
    fs.writeFileSync(file, JSON.stringify({ seniorManager: { zohoUserId: '42' } }));
    expect(loadSettingsFile(file).seniorManager?.zohoUserId).toBe('42');
  });

  it('the shipped example is valid', () => {
    expect(() => loadSettingsFile(path.join(__dirname, '../../callmatrix.example.yaml'))).not.toThrow();
  });
});

describe('environment', () => {
  it('applies defaults', () => {
    const env = loadEnvironment({});
    expect(env.CALLMATRIX_PORT).toBe(3000);
    expect(env.ZOHO_DC).toBe('us');
    expect(env.TEMPORAL_ADDRESS).toBeUndefined();
  });

  it('names the variable and what is expected', () => {
    expect(() => loadEnvironment({ ZOHO_DC: 'mars' })).toThrow(/environment variable ZOHO_DC: Invalid option: expected one of "us"\|"eu"/);
    expect(() => loadEnvironment({ CALLMATRIX_PORT: 'eighty' })).toThrow(/environment variable CALLMATRIX_PORT: expected a number/);
    for (const address of ['nohostport', 'http://temporal:7233', 'temporal:port']) {
      expect(() => loadEnvironment({ TEMPORAL_ADDRESS: address })).toThrow(/environment variable TEMPORAL_ADDRESS: expected host:port, such as temporal.internal:7233/);
    }
    for (const address of ['127.0.0.1:7233', 'temporal.internal:7233', '[::1]:7233']) expect(loadEnvironment({ TEMPORAL_ADDRESS: address }).TEMPORAL_ADDRESS).toBe(address);
    expect(() => loadEnvironment({ CALLMATRIX_WEBHOOK_SECRET: 'short' })).toThrow(/CALLMATRIX_WEBHOOK_SECRET: must be at least 16 characters/);
    expect(() => loadEnvironment({ CALLMATRIX_WORKER_CPU_TARGET: '60' })).toThrow(/environment variable CALLMATRIX_WORKER_CPU_TARGET: Too big: expected number to be <=1/);
  });

  it('reads the worker CPU target as a share of the host, unset by default', () => {
    expect(loadEnvironment({}).CALLMATRIX_WORKER_CPU_TARGET).toBeUndefined();
    expect(loadEnvironment({ CALLMATRIX_WORKER_CPU_TARGET: '0.6' }).CALLMATRIX_WORKER_CPU_TARGET).toBe(0.6);
  });

  it('keeps the metrics off the public port: on loopback by default, and refuses CALLMATRIX_PORT for them', () => {
    const env = loadEnvironment({});
    expect([env.CALLMATRIX_METRICS_HOST, env.CALLMATRIX_METRICS_PORT]).toEqual(['127.0.0.1', 9465]);
    expect(() => loadEnvironment({ CALLMATRIX_METRICS_PORT: '3000' })).toThrow(/CALLMATRIX_METRICS_PORT and CALLMATRIX_PORT must differ/);
    expect(() => loadEnvironment({ CALLMATRIX_PORT: '8080', CALLMATRIX_CODEC_PORT: '8080' })).toThrow(/CALLMATRIX_CODEC_PORT and CALLMATRIX_PORT must differ/);
  });

  it("wants Ringostat's API, which is sent the key, over https, or http on loopback only", () => {
    expect(loadEnvironment({}).RINGOSTAT_API_URL).toBe('https://api.ringostat.net');
    expect(loadEnvironment({ RINGOSTAT_API_URL: 'http://127.0.0.1:3200' }).RINGOSTAT_API_URL).toBe('http://127.0.0.1:3200');
    const error = captureError(() => loadEnvironment({ RINGOSTAT_API_URL: 'http://api.ringostat.net' }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe('environment variable RINGOSTAT_API_URL: must be https (plain http only on 127.0.0.1, localhost or [::1])');
  });

  it('wants the three Zoho credentials together', () => {
    expect(() => loadEnvironment({ ZOHO_CLIENT_ID: 'x' })).toThrow(/ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN go together/);
  });
});

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('callmatrix.schema.json', () => {
  it('is the JSON Schema of the settings as they are now (npm run config:schema)', () => {
    const committed = JSON.parse(fs.readFileSync(path.join(__dirname, '../../callmatrix.schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(z.toJSONSchema(settingsSchema, { io: 'input' }))));
  });
});
