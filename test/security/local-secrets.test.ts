/**
 * The secrets `npm start` generates and keeps in the data folder (`secrets.json`): readable by their owner only,
 * whatever mode the file was given since; a damaged file is named, never quoted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localSecrets } from '../../cli/local-secrets';
import { ConfigError } from '../../config/config-error';
import { loadEnvironment } from '../../config/environment';

let dataDir: string;
let file: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-secrets-'));
  file = path.join(dataDir, 'secrets.json');
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const secrets = () => localSecrets(loadEnvironment({ CALLMATRIX_DATA_DIR: dataDir }));
const mode = () => fs.statSync(file).mode & 0o777;

it('makes an existing secrets file private again when it is read, and keeps its secrets', () => {
  const first = secrets();
  expect(mode()).toBe(0o600);
  fs.chmodSync(file, 0o644);
  expect(secrets()).toEqual(first);
  expect(mode()).toBe(0o600);
});

it('makes it private when it is completed, too (a file of an older version, without every secret)', () => {
  fs.writeFileSync(file, JSON.stringify({ webhookSecret: 'a-webhook-secret-kept-0123' }), { mode: 0o664 });
  fs.chmodSync(file, 0o664); // the umask may have taken bits off
  expect(secrets().webhookSecret).toBe('a-webhook-secret-kept-0123');
  expect(mode()).toBe(0o600);
  expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ webhookSecret: 'a-webhook-secret-kept-0123', codecToken: expect.any(String) });
});

it.each([
  ['cut short', '{"webhookSecret": "part-of-a-secret-9876", "encryptionKey": "k1:'],
  ['not an object', '["part-of-a-secret-9876"]'],
])('a damaged file (%s) is a one-line error naming the file, without its content', (_what, content) => {
  fs.writeFileSync(file, content, { mode: 0o600 });
  let error: unknown;
  try {
    secrets();
  } catch (thrown) {
    error = thrown;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const { message } = error as ConfigError;
  expect(message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not the JSON object of secrets`));
  expect(message).not.toContain('part-of-a-secret');
  expect(message).not.toContain('\n');
});
