/**
 * The AppContext of a process serving an emulated org: what `openAppContext` opens for production, with the test's
 * environment variables, secrets and settings instead of the deployment's. The call harness, the routing harness
 * and the activation tests hand it to the composition root (app/), so the servers under test are wired as
 * production wires them.
 */
import type { Logger } from 'pino';
import { createOrgContext, orgOfSettingsFile, type AppContext, type RuntimeSecrets } from '../../app';
import { loadEnvironment } from '../../config/environment';
import type { Settings } from '../../matrix/settings-schema';
import { createMetrics, type Metrics } from '../../observability/metrics';
import type { EmulatedOrg } from './emulated-org';

export interface EmulatedAppOptions {
  /** The Temporal server the process talks to (the jest global setup's, by default). */
  temporalAddress?: string;
  /** Environment variables of the process (CALLMATRIX_*), over the defaults; the org's data folder is set here. */
  env?: Record<string, string | undefined>;
  /** The process's secrets but the encryption key, which is the org's. */
  secrets?: Omit<RuntimeSecrets, 'encryptionKey' | 'previousEncryptionKeys'>;
  /** The settings the test sets, read on every use; or a file, re-read and checked on edits as production does. */
  settings: (() => Settings) | { file: string };
  logger: Logger;
  /** Default: fresh, without the default process metrics. */
  metrics?: Metrics;
}

/** What the context needs of an org: its activation store, where the store lives, and the key it is sealed with. */
export type StoredOrg = Pick<EmulatedOrg, 'activation' | 'dataDir' | 'encryptionKey'>;

export function emulatedAppContext(org: StoredOrg, options: EmulatedAppOptions): AppContext {
  const temporalAddress = options.temporalAddress ?? process.env.TEMPORAL_ADDRESS;
  if (!temporalAddress) throw new Error('the jest global setup did not start Temporal');
  const env = loadEnvironment({ TEMPORAL_ADDRESS: temporalAddress, CALLMATRIX_DATA_DIR: org.dataDir, ...options.env });
  const { logger } = options;
  const metrics = options.metrics ?? createMetrics({ defaultMetrics: false });
  const common = { activation: org.activation, edition: 'professional' as const, composite: env.CALLMATRIX_ZOHO_COMPOSITE, logger, telemetry: metrics.zoho };
  const { settings } = options;
  return {
    env,
    temporalAddress,
    secrets: { ...options.secrets, encryptionKey: org.encryptionKey, previousEncryptionKeys: [] },
    logger,
    // Test settings sit under the activation's choices like a file's.
    org: typeof settings === 'function' ? createOrgContext({ ...common, fileSettings: settings, settingsOrigin: 'test settings' }) : orgOfSettingsFile({ ...common, file: settings.file }),
    metrics,
  };
}
