/** What the CLI prints for errors from the system rather than from callmatrix: a sentence, not a stack trace. */
import fs from 'node:fs';
import path from 'node:path';
import { NamespaceNotFoundError } from '@temporalio/client';
import { LOCAL_TEMPORAL_ADDRESS } from '../app/temporal-connection';
import { ConfigError } from '../config/config-error';

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'timed out',
  ECONNABORTED: 'timed out',
  EHOSTUNREACH: 'host unreachable',
};

interface SystemErrorLike {
  code?: string;
  address?: string;
  port?: number;
  path?: string;
  syscall?: string;
  config?: { url?: string; baseURL?: string };
  cause?: SystemErrorLike;
}

function target(error: SystemErrorLike): string {
  const url = error.config?.url ?? error.config?.baseURL;
  if (url) {
    try {
      return new URL(url, error.config?.baseURL).origin;
    } catch {
      return url;
    }
  }
  if (error.address) return `${error.address}${error.port ? `:${error.port}` : ''}`;
  return 'a server';
}

/** One line for a network or file-system error, naming what could not be reached or opened; undefined otherwise. */
export function describeSystemError(error: unknown): string | undefined {
  const err = error as SystemErrorLike | undefined;
  const code = err?.code ?? err?.cause?.code;
  if (!err || !code) return undefined;
  if (NETWORK_REASONS[code]) {
    return (
      `cannot reach ${target(err.config ? err : (err.cause ?? err))}: ${NETWORK_REASONS[code]} (${code}). ` +
      'Is it running? Check the addresses in the environment: ZOHO_DC and ZOHO_ACCOUNTS_URL for Zoho CRM, TEMPORAL_ADDRESS for Temporal.'
    );
  }
  if ((code === 'EACCES' || code === 'EPERM' || code === 'EROFS') && err.path) {
    return `cannot write or read ${err.path} (${code}): check its permissions, or set CALLMATRIX_DATA_DIR to a folder callmatrix may write.`;
  }
  // A folder callmatrix makes (the data folder, CALLMATRIX_DATA_DIR, or one in it) where a file already is.
  if ((code === 'EEXIST' || code === 'ENOTDIR') && err.syscall === 'mkdir' && err.path) {
    const what = code === 'EEXIST' ? `${err.path} is not a folder` : `${err.path} cannot be a folder: a file is in its path`;
    return `${what} (${code}): set CALLMATRIX_DATA_DIR to a folder callmatrix may write, or move the file away.`;
  }
  return undefined;
}

/** The namespace a Temporal error says the cluster does not have: the client's NamespaceNotFoundError, or gRPC's. */
function missingNamespace(error: unknown): string | undefined {
  if (error instanceof NamespaceNotFoundError) return error.namespace;
  // The worker's calls (search attributes, schedules) get the server's gRPC NOT_FOUND (code 5) as it is.
  const grpc = error as { code?: unknown; details?: unknown } | undefined;
  if (grpc?.code !== 5 || typeof grpc.details !== 'string') return undefined;
  return /^Namespace (\S+) is not found\.?$/.exec(grpc.details)?.[1];
}

/**
 * A namespace the Temporal cluster does not have, which the SDK reports with a stack trace: a configuration
 * mistake, named with its variable and the cluster asked. Any other error is returned as it is.
 */
export function namespaceProblem(error: unknown): unknown {
  const namespace = missingNamespace(error);
  if (namespace === undefined) return error;
  const address = process.env.TEMPORAL_ADDRESS || LOCAL_TEMPORAL_ADDRESS;
  return new ConfigError(
    `environment variable TEMPORAL_NAMESPACE: Temporal at ${address} has no namespace "${namespace}": set it to one the cluster has ` +
      `(default: default), or register that one (temporal operator namespace create --namespace ${namespace})`,
  );
}

/** The version in callmatrix's package.json: next to the sources, or one level up from the build in dist/. */
export function callmatrixVersion(): string {
  for (const dir of [path.resolve(__dirname, '..'), path.resolve(__dirname, '../..')]) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'callmatrix' && pkg.version) return pkg.version;
  }
  return 'unknown';
}
