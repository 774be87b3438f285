/**
 * The deployment's key of its callers' numbers (temporal/caller-key.ts), for the commands that start calls or look
 * them up by number as the shim and the worker do: read from the deployment's shared activation store.
 */
import pino from 'pino';
import { openSharedActivationStore } from '../app/shared-resources';
import type { Environment } from '../config/environment';
import { deploymentCallerKey, type CallerKey } from '../temporal/caller-key';
import { cliSecrets } from './local-secrets';
import { environmentCredentials } from './zoho-credentials';

export async function cliCallerKey(env: Environment): Promise<CallerKey> {
  const secrets = cliSecrets(env);
  const store = await openSharedActivationStore(env, secrets, environmentCredentials(env), pino({ level: 'silent' }));
  return deploymentCallerKey(store, secrets.encryptionKey);
}
