import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';
import { failureChain, isError } from '../temporal/failure-chain';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** The SDK's metadata with every Error (such as "Workflow failed"'s `error`) as its cause chain, not `{}`. */
export function loggableMeta(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(meta ?? {}).map(([key, value]) => [key, isError(value) ? failureChain(value) : value]));
}

/**
 * Sends the Temporal SDK's own logs (worker state, workflow bundling, activity failures) through pino, so a
 * process writes one structured log stream. Call once per process, before creating a worker.
 */
export function routeTemporalLogs(logger: Logger, level: LogLevel = 'WARN'): void {
  const sdk = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    logger: new DefaultLogger(level, ({ level: entryLevel, message, meta }) => sdk[PINO_LEVEL[entryLevel]](loggableMeta(meta), message)),
  });
}
