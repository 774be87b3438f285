/**
 * Secrets for the embedded default: when the environment does not set them, `npm start` generates them once
 * and keeps them in the data folder (mode 0600), so a second start reads the calls the first one wrote.
 * Production deployments set CALLMATRIX_WEBHOOK_SECRET and CALLMATRIX_ENCRYPTION_KEY instead.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { generateEncryptionKey } from '../temporal/encryption-codec';
import { ConfigError } from '../config/config-error';
import type { Environment } from '../config/environment';
import type { RuntimeSecrets } from '../app/shared-resources';

export function localSecrets(env: Environment): RuntimeSecrets & { webhookSecret: string; adminToken: string } {
  const file = path.join(env.dataDir, 'secrets.json');
  let stored: Partial<RuntimeSecrets> = {};
  if (fs.existsSync(file)) stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<RuntimeSecrets>;
  const generated = {
    webhookSecret: stored.webhookSecret ?? crypto.randomBytes(18).toString('base64url'),
    adminToken: stored.adminToken ?? crypto.randomBytes(18).toString('base64url'),
    encryptionKey: stored.encryptionKey ?? generateEncryptionKey(),
  };
  if (!stored.webhookSecret || !stored.encryptionKey || !stored.adminToken) {
    fs.mkdirSync(env.dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(generated, null, 2), { mode: 0o600 });
  }
  return {
    webhookSecret: env.CALLMATRIX_WEBHOOK_SECRET ?? generated.webhookSecret,
    adminToken: env.CALLMATRIX_ADMIN_TOKEN ?? generated.adminToken,
    encryptionKey: env.CALLMATRIX_ENCRYPTION_KEY ?? generated.encryptionKey,
    previousEncryptionKeys: previousKeys(env),
  };
}

/**
 * Secrets a production process must be given: it never invents them, since every process must share them. The
 * webhook secret is the shim's alone: a worker (`webhook: false`) runs without it.
 */
export function requiredSecrets(env: Environment, { webhook = true } = {}): RuntimeSecrets {
  const needed = webhook ? (['CALLMATRIX_WEBHOOK_SECRET', 'CALLMATRIX_ENCRYPTION_KEY'] as const) : (['CALLMATRIX_ENCRYPTION_KEY'] as const);
  const missing = needed.filter((name) => !env[name]);
  if (missing.length) throw new ConfigError(`environment variables ${missing.join(', ')} must be set (see README, Configuration)`);
  return {
    webhookSecret: env.CALLMATRIX_WEBHOOK_SECRET,
    adminToken: env.CALLMATRIX_ADMIN_TOKEN,
    encryptionKey: env.CALLMATRIX_ENCRYPTION_KEY!,
    previousEncryptionKeys: previousKeys(env),
  };
}

function previousKeys(env: Environment): string[] {
  return (env.CALLMATRIX_ENCRYPTION_KEYS_PREVIOUS ?? '').split(',').map((k) => k.trim()).filter(Boolean);
}
