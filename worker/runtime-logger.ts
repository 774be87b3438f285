/**
 * The process's Temporal runtime (one per process): its logs, and its metrics.
 * - Logs: the SDK's TypeScript side (worker state, workflow `log`, activity failures) and its native core (Rust
 *   lines that would otherwise go to stderr with ANSI colours) both go through pino, at their own levels, so a
 *   process writes one log stream; activities' task tokens are left out.
 * - Metrics: with `prometheus`, the SDK's worker metrics (task latencies, slots, polls…) are exported on a
 *   loopback port that the process's /metrics endpoint merges into its own answer (observability/metrics-route.ts).
 */
import { DefaultLogger, Runtime, type LogLevel, type TelemetryOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { failureChain, isError } from '../temporal/failure-chain';
import { freeLoopbackPort } from '../observability/free-port';
import type { Metrics } from '../observability/metrics';
import { throttledLog } from '../observability/throttled-log';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * What the SDK attaches to log records that must never reach a log: an activity's task token (on every activity's
 * records, "Activity failed" included; `task_token` in core's) completes, fails or heartbeats that activity for
 * whoever can reach Temporal, like a credential. The activity id, type and workflow id say which activity it was.
 */
const NEVER_LOGGED = new Set(['taskToken', 'task_token']);

/**
 * The SDK's metadata without its credentials, and with every Error (such as "Workflow failed"'s `error`) as its
 * cause chain, not `{}`.
 */
export function loggableMeta(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(meta ?? {})
      .filter(([key]) => !NEVER_LOGGED.has(key))
      .map(([key, value]) => [key, isError(value) ? failureChain(value) : value]),
  );
}

/**
 * Core warns of every workflow task that ran longer than 5 s (TMPRL1104). Here that is a call's local Zoho reads
 * retried within its task while Zoho is down or slow — 8 to 10 lines per call, which
 * `callmatrix_activities_retrying` already counts — or a worker short of CPU: one line a minute says so, with how
 * many like it were left out.
 */
const SLOW_WORKFLOW_TASK = '[TMPRL1104]';

/** Writes the SDK's log records to `sdk` (pino), without credentials, slow-task warnings at most once a minute. */
export function sdkLogSink(sdk: Logger): (entry: { level: LogLevel; message: string; meta?: Record<string, unknown> }) => void {
  const slowTasks = throttledLog(sdk);
  return ({ level, message, meta }) => {
    if (message.includes(SLOW_WORKFLOW_TASK)) {
      slowTasks('slow-workflow-task', loggableMeta(meta), `${message} (at most one such line a minute: Zoho reads being retried within the calls' workflow tasks, or a worker short of CPU)`);
      return;
    }
    sdk[PINO_LEVEL[level]](loggableMeta(meta), message);
  };
}

/** The SDK's level for a LOG_LEVEL: the SDK has no `fatal`. */
export function temporalLogLevel(level: string): LogLevel {
  const sdkLevel = level === 'fatal' ? 'ERROR' : level.toUpperCase();
  return (Object.keys(PINO_LEVEL) as LogLevel[]).find((known) => known === sdkLevel) ?? 'WARN';
}

/**
 * Installs the runtime. Call once per process, before creating a worker or a NativeConnection. With `metrics`,
 * the SDK's metrics are exported too, and `metrics.temporalSdkMetricsUrl` says where.
 */
export async function installTemporalRuntime(logger: Logger, options: { level?: LogLevel; metrics?: Metrics } = {}): Promise<void> {
  const level = options.level ?? 'WARN';
  const sdk = logger.child({ component: 'temporal-sdk' });
  const telemetryOptions: TelemetryOptions = { logging: { filter: { core: level, other: 'ERROR' }, forward: {} } };
  let sdkMetricsUrl: string | undefined;
  if (options.metrics) {
    const bindAddress = `127.0.0.1:${await freeLoopbackPort()}`;
    telemetryOptions.metrics = { prometheus: { bindAddress, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true } };
    sdkMetricsUrl = `http://${bindAddress}/metrics`;
  }
  Runtime.install({
    logger: new DefaultLogger(level, sdkLogSink(sdk)),
    telemetryOptions,
  });
  if (options.metrics) options.metrics.temporalSdkMetricsUrl = sdkMetricsUrl;
}
