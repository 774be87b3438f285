/**
 * What every callmatrix process of a deployment opens the same way: the shared activation store and the data
 * converter. Kept apart from services.ts so the light commands (activate, users…) do not load the worker.
 */
import type { Logger } from 'pino';
import { openActivationStore, type ActivationStore } from '../activation/credential-store';
import { createDataConverter } from '../temporal/data-converter';
import type { Environment } from '../config/environment';
import type { RuntimeSecrets } from './local-secrets';
import { environmentCredentials } from './zoho-credentials';

/**
 * The activation store every process of the deployment shares (in the data directory), seeded from the ZOHO_*
 * variables when they hold credentials.
 */
export function openSharedActivationStore(env: Environment, secrets: RuntimeSecrets, logger: Logger): Promise<ActivationStore> {
  return openActivationStore({
    dataDir: env.dataDir,
    encryptionKey: secrets.encryptionKey,
    previousEncryptionKeys: secrets.previousEncryptionKeys,
    logger,
    seed: environmentCredentials(env),
  });
}

/** callmatrix's data converter: payloads encrypted with the current key, readable with the previous ones. */
export function dataConverterFor(secrets: RuntimeSecrets) {
  return createDataConverter(secrets.encryptionKey, secrets.previousEncryptionKeys);
}
