/**
 * How callmatrix connects to a Temporal cluster given by TEMPORAL_ADDRESS: plain, or over TLS with the cluster's
 * CA, a client certificate (mTLS) and/or an API key. The embedded dev server of `npm start` is always plain.
 */
import fs from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { ConfigError } from './config-error';
import type { Environment } from './environment';

export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
}

function readFile(variable: 'TEMPORAL_TLS_CA_FILE' | 'TEMPORAL_TLS_CERT_FILE' | 'TEMPORAL_TLS_KEY_FILE', file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new ConfigError(`environment variable ${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/** Connection options for `address`: the security settings apply only to the cluster TEMPORAL_ADDRESS names. */
export function temporalConnection(env: Environment, address = env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233'): TemporalConnectionOptions {
  if (address !== env.TEMPORAL_ADDRESS) return { address };
  const { TEMPORAL_TLS_CA_FILE: ca, TEMPORAL_TLS_CERT_FILE: cert, TEMPORAL_TLS_KEY_FILE: key, TEMPORAL_TLS_SERVER_NAME: serverName, TEMPORAL_API_KEY: apiKey } = env;
  if (Boolean(cert) !== Boolean(key)) throw new ConfigError('environment variables TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together: set both for mTLS, or neither');
  const tlsWanted = env.TEMPORAL_TLS || Boolean(ca || cert || serverName || apiKey);
  if (!tlsWanted) return { address };
  const tls: TLSConfig = {
    ...(ca && { serverRootCACertificate: readFile('TEMPORAL_TLS_CA_FILE', ca) }),
    ...(cert && key && { clientCertPair: { crt: readFile('TEMPORAL_TLS_CERT_FILE', cert), key: readFile('TEMPORAL_TLS_KEY_FILE', key) } }),
    ...(serverName && { serverNameOverride: serverName }),
  };
  return { address, tls, ...(apiKey && { apiKey }) };
}
