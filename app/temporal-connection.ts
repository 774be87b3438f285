/**
 * How every callmatrix process reaches Temporal: the one place that turns the environment into connection options
 * (TLS, mTLS, API key) for the client's Connection and the worker's NativeConnection, and that turns "cannot
 * connect" into a sentence naming the address and what to check, within a few seconds.
 */
import fs from 'node:fs';
import { Connection } from '@temporalio/client';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { ActionableError, ConfigError } from '../config/config-error';
import type { Environment } from '../config/environment';

/** Where `npm start` runs its embedded dev server, and where the CLI looks without TEMPORAL_ADDRESS. */
export const LOCAL_TEMPORAL_ADDRESS = '127.0.0.1:7233';
/** Unreachable is reported after this long: a person at a terminal should not wait for the SDK's 10 s. */
const CONNECT_TIMEOUT_MS = 4_000;

export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
}

function readPem(variable: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new ConfigError(`environment variable ${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
}

/**
 * The options for `address`. The TEMPORAL_TLS_* variables and TEMPORAL_API_KEY describe the cluster of
 * TEMPORAL_ADDRESS; the embedded dev server of `npm start` (any other address) is reached in plain text.
 */
export function temporalConnectionOptions(env: Environment, address: string = env.TEMPORAL_ADDRESS ?? LOCAL_TEMPORAL_ADDRESS): TemporalConnectionOptions {
  if (address !== env.TEMPORAL_ADDRESS) return { address };
  const { TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key, TEMPORAL_TLS_CA: ca, TEMPORAL_TLS_SERVER_NAME: serverName, TEMPORAL_API_KEY: apiKey } = env;
  const useTls = env.TEMPORAL_TLS ?? Boolean(cert || ca || serverName || apiKey);
  if (!useTls) return { address, apiKey };
  const tls: TLSConfig = {
    serverNameOverride: serverName,
    serverRootCACertificate: ca ? readPem('TEMPORAL_TLS_CA', ca) : undefined,
    clientCertPair: cert && key ? { crt: readPem('TEMPORAL_TLS_CERT', cert), key: readPem('TEMPORAL_TLS_KEY', key) } : undefined,
  };
  return { address, tls, apiKey };
}

/** What to say when Temporal does not answer: the address, the likely causes, the variables involved. */
export function temporalUnreachable(options: TemporalConnectionOptions, cause: unknown): ActionableError {
  const reason = (cause as Error | undefined)?.message?.split('\n')[0] ?? String(cause);
  const how = options.tls ? 'over TLS' : 'in plain text';
  return new ActionableError(
    `cannot reach Temporal at ${options.address} (${how}): ${reason}\n` +
      `Is it running? Locally, \`npm start\` runs one on ${LOCAL_TEMPORAL_ADDRESS}; elsewhere set TEMPORAL_ADDRESS to the cluster's host:port` +
      ` and, for TLS, mTLS or an API key, TEMPORAL_TLS_CA, TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY, TEMPORAL_TLS_SERVER_NAME or TEMPORAL_API_KEY (README, Configuration).`,
  );
}

/** A client connection, or an ActionableError within a few seconds. */
export async function connectTemporal(options: TemporalConnectionOptions): Promise<Connection> {
  try {
    return await Connection.connect({ ...options, connectTimeout: CONNECT_TIMEOUT_MS });
  } catch (error) {
    throw temporalUnreachable(options, error);
  }
}
