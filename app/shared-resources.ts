/**
 * What every callmatrix process of a deployment opens the same way: the shared activation store and the data
 * converter. Kept apart from the worker and HTTP server modules so the light commands (activate, users…) do not
 * load the worker.
 */
import type { Logger } from 'pino';
import { openActivationStore, type ActivationStore } from '../activation/credential-store';
import { createDataConverter } from '../temporal/data-converter';
import type { Environment } from '../config/environment';
import type { ZohoCredentials } from '../zoho';

/** The secrets every process of a deployment shares (environment, or generated once by `npm start`). */
export interface RuntimeSecrets {
  /** The webhook shim's; a worker has none. */
  webhookSecret?: string;
  /** Opens the activation pages; production processes without CALLMATRIX_ADMIN_TOKEN serve no pages. */
  adminToken?: string;
  encryptionKey: string;
  previousEncryptionKeys: string[];
  /** Opens the codec server (CALLMATRIX_CODEC_TOKEN); `npm start` generates one. */
  codecToken?: string;
}

/**
 * The activation store every process of the deployment shares (in the data directory), seeded with `seed` (the
 * ZOHO_* variables) when it is empty.
 */
export function openSharedActivationStore(
  env: Environment,
  secrets: RuntimeSecrets,
  seed: ZohoCredentials | null,
  logger: Logger,
): Promise<ActivationStore> {
  return openActivationStore({
    dataDir: env.dataDir,
    encryptionKey: secrets.encryptionKey,
    previousEncryptionKeys: secrets.previousEncryptionKeys,
    logger,
    seed,
  });
}

/** callmatrix's data converter: payloads encrypted with the current key, readable with the previous ones. */
export function dataConverterFor(secrets: RuntimeSecrets) {
  return createDataConverter(secrets.encryptionKey, secrets.previousEncryptionKeys);
}
