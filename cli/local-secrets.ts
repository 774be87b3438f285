/**
 * Secrets for the embedded default: when the environment does not set them, `npm start` generates them once
 * and keeps them in the data folder (mode 0600), so a second start reads the calls the first one wrote.
 * Production deployments set CALLMATRIX_WEBHOOK_SECRET and CALLMATRIX_ENCRYPTION_KEY instead.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { generateEncryptionKey, parseEncryptionKey } from '../temporal/encryption-codec';
import { ConfigError } from '../config/config-error';
import type { Environment } from '../config/environment';
import type { RuntimeSecrets } from '../app/shared-resources';

/** Where `npm start` keeps the secrets it generated. */
const secretsFile = (env: Environment) => path.join(env.dataDir, 'secrets.json');

/**
 * Makes the file readable by its owner only. The mode given at creation does not change an existing file, which
 * may have been copied, restored or created looser: it is checked on every read, which comes before every write.
 */
function keepPrivate(file: string): void {
  if ((fs.statSync(file).mode & 0o077) === 0) return;
  try {
    fs.chmodSync(file, 0o600);
  } catch (error) {
    throw new ConfigError(`${file}: readable by other users, and it could not be made private (${(error as NodeJS.ErrnoException).code}): chmod 600 it`);
  }
}

/** The secrets kept in `file`; a file that is not a JSON object is named, never quoted (it holds the secrets). */
function readStored(file: string): Partial<RuntimeSecrets> {
  keepPrivate(file);
  let stored: unknown;
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    stored = undefined;
  }
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
    throw new ConfigError(
      `${file}: not the JSON object of secrets \`npm start\` writes; restore it from a backup, or delete it to have new ones generated (a new webhook secret and key: calls encrypted with the old key can then no longer be read)`,
    );
  }
  return stored as Partial<RuntimeSecrets>;
}

export function localSecrets(env: Environment): RuntimeSecrets & { webhookSecret: string; adminToken: string } {
  const file = secretsFile(env);
  const stored = fs.existsSync(file) ? readStored(file) : {};
  const generated = {
    webhookSecret: stored.webhookSecret ?? crypto.randomBytes(18).toString('base64url'),
    adminToken: stored.adminToken ?? crypto.randomBytes(18).toString('base64url'),
    encryptionKey: stored.encryptionKey ?? generateEncryptionKey(),
    codecToken: stored.codecToken ?? crypto.randomBytes(24).toString('base64url'),
  };
  if (!stored.webhookSecret || !stored.encryptionKey || !stored.adminToken || !stored.codecToken) {
    fs.mkdirSync(env.dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(generated, null, 2), { mode: 0o600 });
  }
  const encryptionKey = env.CALLMATRIX_ENCRYPTION_KEY ?? generated.encryptionKey;
  return {
    webhookSecret: env.CALLMATRIX_WEBHOOK_SECRET ?? generated.webhookSecret,
    adminToken: env.CALLMATRIX_ADMIN_TOKEN ?? generated.adminToken,
    encryptionKey,
    previousEncryptionKeys: previousKeys(env, encryptionKey),
    codecToken: env.CALLMATRIX_CODEC_TOKEN ?? generated.codecToken,
  };
}

/**
 * Secrets a production process must be given: it never invents them, since every process must share them. The
 * webhook secret is the shim's alone: a worker (`webhook: false`) runs without it.
 */
export function requiredSecrets(env: Environment, { webhook = true } = {}): RuntimeSecrets {
  const required: ('CALLMATRIX_WEBHOOK_SECRET' | 'CALLMATRIX_ENCRYPTION_KEY' | 'CALLMATRIX_CODEC_TOKEN')[] = webhook
    ? ['CALLMATRIX_WEBHOOK_SECRET', 'CALLMATRIX_ENCRYPTION_KEY']
    : ['CALLMATRIX_ENCRYPTION_KEY'];
  if (webhook && env.CALLMATRIX_CODEC_PORT) required.push('CALLMATRIX_CODEC_TOKEN');
  const missing = required.filter((name) => !env[name]);
  if (missing.length) throw new ConfigError(`${missing.length === 1 ? 'environment variable' : 'environment variables'} ${missing.join(', ')} must be set (see README, Configuration)`);
  return {
    webhookSecret: env.CALLMATRIX_WEBHOOK_SECRET,
    adminToken: env.CALLMATRIX_ADMIN_TOKEN,
    encryptionKey: env.CALLMATRIX_ENCRYPTION_KEY!,
    previousEncryptionKeys: previousKeys(env, env.CALLMATRIX_ENCRYPTION_KEY!),
    codecToken: env.CALLMATRIX_CODEC_TOKEN,
  };
}

/**
 * A one-off command's secrets: the environment's key when it sets one (production: shared with the workers), else
 * the ones `npm start` keeps in the data folder, also when it runs on a Temporal of the user's (TEMPORAL_ADDRESS).
 * Against a Temporal of its own with neither, the command asks for the key rather than invent one. It needs only
 * the key: the webhook secret and the codec token are the shim's.
 */
export function cliSecrets(env: Environment): RuntimeSecrets {
  const production = env.CALLMATRIX_ENCRYPTION_KEY || (env.TEMPORAL_ADDRESS && !fs.existsSync(secretsFile(env)));
  return production ? requiredSecrets(env, { webhook: false }) : localSecrets(env);
}

/**
 * The earlier keys, each with an id of its own: payloads and the activation file name their key by id, so two keys
 * with one id would make data written under one unreadable under the other.
 */
function previousKeys(env: Environment, currentKey: string): string[] {
  const previous = (env.CALLMATRIX_ENCRYPTION_KEYS_PREVIOUS ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  const parse = (key: string, variable: string) => {
    try {
      return parseEncryptionKey(key).id;
    } catch (error) {
      throw new ConfigError(`environment variable ${variable}: ${(error as Error).message}`);
    }
  };
  const seen = new Map([[parse(currentKey, 'CALLMATRIX_ENCRYPTION_KEY'), 'CALLMATRIX_ENCRYPTION_KEY']]);
  for (const key of previous) {
    const id = parse(key, 'CALLMATRIX_ENCRYPTION_KEYS_PREVIOUS');
    const earlier = seen.get(id);
    if (earlier) {
      throw new ConfigError(
        `environment variable CALLMATRIX_ENCRYPTION_KEYS_PREVIOUS: key id "${id}" is already used by ${earlier === 'CALLMATRIX_ENCRYPTION_KEY' ? 'CALLMATRIX_ENCRYPTION_KEY' : 'another key in it'}; ` +
          'every key needs an id of its own (see README, Rotating the encryption key)',
      );
    }
    seen.set(id, 'CALLMATRIX_ENCRYPTION_KEYS_PREVIOUS');
  }
  return previous;
}
