/**
 * How every callmatrix process reaches Temporal: the connection options of config/temporal-connection.ts (TLS,
 * mTLS, API key) for the client's Connection and the worker's NativeConnection, and "cannot connect" turned into a
 * sentence naming the address and what to check, within a few seconds.
 */
import { Connection } from '@temporalio/client';
import { ActionableError } from '../config/config-error';
import type { TemporalConnectionOptions } from '../config/temporal-connection';

/** Where `npm start` runs its embedded dev server, and where the CLI looks without TEMPORAL_ADDRESS. */
export const LOCAL_TEMPORAL_ADDRESS = '127.0.0.1:7233';
/** Unreachable is reported after this long: a person at a terminal should not wait for the SDK's 10 s. */
const CONNECT_TIMEOUT_MS = 4_000;

/** What to say when Temporal does not answer: the address, the likely causes, the variables involved. */
export function temporalUnreachable(options: TemporalConnectionOptions, cause: unknown): ActionableError {
  const reason = (cause as Error | undefined)?.message?.split('\n')[0] ?? String(cause);
  const how = options.tls ? 'over TLS' : 'in plain text';
  const tlsVariables = 'TEMPORAL_TLS, TEMPORAL_TLS_CA_FILE, TEMPORAL_TLS_CERT_FILE, TEMPORAL_TLS_KEY_FILE, TEMPORAL_TLS_SERVER_NAME or TEMPORAL_API_KEY';
  return new ActionableError(
    `cannot reach Temporal at ${options.address} (${how}): ${reason}\n` +
      `Is it running? Locally, \`npm start\` runs one on ${LOCAL_TEMPORAL_ADDRESS}; elsewhere set TEMPORAL_ADDRESS to the cluster's host:port` +
      ` and, for TLS, mTLS or an API key, ${tlsVariables} (README, Configuration).`,
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
