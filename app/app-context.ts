/**
 * What one callmatrix process runs with: the deployment's environment, where Temporal is, the shared secrets, a
 * logger, and the org it serves (an OrgContext). Production and `npm start` open it from the environment and the
 * settings file (`openAppContext`); the test harness and the bench build the same shape around an emulated org.
 */
import { Client, type Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Environment } from '../config/environment';
import { temporalConnection } from '../config/temporal-connection';
import { watchedSettings } from '../config/settings-source';
import type { Edition, ZohoCredentials } from '../zoho';
import type { ActivationStore } from '../activation/credential-store';
import { checkSettingsAgainstCrm } from './check-settings';
import { createMetrics, type Metrics } from '../observability/metrics';
import type { ZohoTelemetry } from '../zoho/telemetry';
import { createOrgContext, type OrgContext } from './org-context';
import { dataConverterFor, openSharedActivationStore, type RuntimeSecrets } from './shared-resources';
import { connectTemporal } from './temporal-connection';

export interface AppContext {
  env: Environment;
  /** Where Temporal is: TEMPORAL_ADDRESS, or the embedded dev server `start` launched. */
  temporalAddress: string;
  secrets: RuntimeSecrets;
  logger: Logger;
  org: OrgContext;
  /** This process's Prometheus metrics. */
  metrics: Metrics;
}

/**
 * Opens the org of a deployment: the activation store every process shares through the data folder (seeded with
 * `seed`, the ZOHO_* variables, when it is empty) and the settings file, re-read when it changes.
 */
export async function openAppContext(options: {
  env: Environment;
  temporalAddress: string;
  secrets: RuntimeSecrets;
  settingsFile: string;
  seed: ZohoCredentials | null;
  logger: Logger;
  /** Made by the caller when the Temporal runtime must export into it too (`npm start`); else a new one. */
  metrics?: Metrics;
}): Promise<AppContext> {
  const { env, secrets, logger } = options;
  const metrics = options.metrics ?? createMetrics();
  const activation = await openSharedActivationStore(env, secrets, options.seed, logger);
  const org = orgOfSettingsFile({ file: options.settingsFile, activation, edition: env.ZOHO_EDITION, composite: env.CALLMATRIX_ZOHO_COMPOSITE, logger, telemetry: metrics.zoho });
  metrics.integration.readBrokenFrom(() => activation.broken() !== undefined);
  return { env, temporalAddress: options.temporalAddress, secrets, logger, org, metrics };
}

/**
 * The org of a settings file, re-read when the file changes; each edit is checked against the CRM's fields (D3,
 * cached metadata) before calls use it, as a worker start checks the file.
 */
export function orgOfSettingsFile(options: { file: string; activation: ActivationStore; edition: Edition; composite: boolean; logger: Logger; telemetry?: ZohoTelemetry }): OrgContext {
  const { file, logger } = options;
  const org: OrgContext = createOrgContext({
    ...options,
    fileSettings: watchedSettings(file, logger, (settings) => checkSettingsAgainstCrm(org.zoho, settings, file, logger)),
    settingsOrigin: file,
  });
  return org;
}

/** A Temporal client with callmatrix's data converter: the shim's, and the activities' that signal calls. */
export async function connectTemporalClient(app: AppContext): Promise<Client> {
  const connection = await connectTemporal(temporalConnection(app.env, app.temporalAddress));
  return new Client({ connection, namespace: app.env.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(app.secrets) });
}

export async function withTemporalConnection<T>(app: AppContext, work: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await connectTemporal(temporalConnection(app.env, app.temporalAddress));
  try {
    return await work(connection);
  } finally {
    await connection.close();
  }
}
