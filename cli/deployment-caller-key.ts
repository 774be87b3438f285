/**
 * The deployment's key of its callers' numbers (temporal/caller-key.ts), for the commands that start calls or look
 * them up by number as the shim and the worker do: read from the deployment's shared activation store.
 */
import pino from 'pino';
import type { ActivationStore } from '../activation/credential-store';
import { openSharedActivationStore } from '../app/shared-resources';
import type { Environment } from '../config/environment';
import { deploymentCallerKey, type CallerKey } from '../temporal/caller-key';
import { cliSecrets } from './local-secrets';
import { environmentCredentials } from './zoho-credentials';

/** The deployment's shared activation store as a command opens it: seeded from the ZOHO_* variables when empty. */
export function cliActivationStore(env: Environment): Promise<ActivationStore> {
  return openSharedActivationStore(env, cliSecrets(env), environmentCredentials(env), pino({ level: 'silent' }));
}

/** `store`: one the command has opened already (backfill reads the CRM's zone from it too), else opened here. */
export async function cliCallerKey(env: Environment, store?: ActivationStore): Promise<CallerKey> {
  return deploymentCallerKey(store ?? (await cliActivationStore(env)), cliSecrets(env).encryptionKey);
}
