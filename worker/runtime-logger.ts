import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Sends the Temporal SDK's own logs (worker state, workflow bundling, activity failures) through pino, so a
 * process writes one structured log stream. Call once per process, before creating a worker.
 */
export function routeTemporalLogs(logger: Logger, level: LogLevel = 'WARN'): void {
  const sdk = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    logger: new DefaultLogger(level, ({ level: entryLevel, message, meta }) => sdk[PINO_LEVEL[entryLevel]](meta ?? {}, message)),
  });
}
