/**
 * What one callmatrix process runs with: the deployment's environment, where Temporal is, the shared secrets, a
 * logger, and the org it serves (an OrgContext). Production and `npm start` open it from the environment and the
 * settings file (`openAppContext`); the test harness and the bench build the same shape around an emulated org.
 */
import { Client, Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Environment } from '../config/environment';
import { temporalConnection } from '../config/temporal-connection';
import { watchedSettings } from '../config/settings-source';
import type { ZohoCredentials } from '../zoho';
import { createOrgContext, type OrgContext } from './org-context';
import { dataConverterFor, openSharedActivationStore, type RuntimeSecrets } from './shared-resources';

export interface AppContext {
  env: Environment;
  /** Where Temporal is: TEMPORAL_ADDRESS, or the embedded dev server `start` launched. */
  temporalAddress: string;
  secrets: RuntimeSecrets;
  logger: Logger;
  org: OrgContext;
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
}): Promise<AppContext> {
  const { env, secrets, logger } = options;
  const activation = await openSharedActivationStore(env, secrets, options.seed, logger);
  const org = createOrgContext({
    fileSettings: watchedSettings(options.settingsFile, logger),
    settingsOrigin: options.settingsFile,
    activation,
    edition: env.ZOHO_EDITION,
    composite: env.CALLMATRIX_ZOHO_COMPOSITE,
    logger,
  });
  return { env, temporalAddress: options.temporalAddress, secrets, logger, org };
}

/** A Temporal client with callmatrix's data converter: the shim's, and the activities' that signal calls. */
export async function connectTemporalClient(app: AppContext): Promise<Client> {
  const connection = await Connection.connect(temporalConnection(app.env, app.temporalAddress));
  return new Client({ connection, namespace: app.env.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(app.secrets) });
}

export async function withTemporalConnection<T>(app: AppContext, work: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect(temporalConnection(app.env, app.temporalAddress));
  try {
    return await work(connection);
  } finally {
    await connection.close();
  }
}
