/**
 * The activity of scheduled reconciliation (L1): reads the telephony's call log for the run's sliding window (and,
 * once in each `longCallSweepMinutes`, the hours before it for long calls) and starts every call the webhooks missed.
 * The call log holds its API key; the workflow passes only the run's time, so the key never reaches Temporal's
 * history.
 */
import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Settings } from '../matrix/settings-schema';
import { droppedFieldsReporter } from '../observability/dropped-fields';
import type { Metrics } from '../observability/metrics';
import { throttledLog } from '../observability/throttled-log';
import type { CallerKeyOfEvent } from '../temporal/caller-key';
import type { ReconciliationReport } from '../temporal/contracts';
import { callLogTimeZone, CrmTimeZoneUnknown, longCallSeconds, longCallSweep, reconcileCalls, slidingWindow } from '../temporal/reconcile-calls';
import { CallLogRefused, type CallLog, type TimeWindow } from '../telephony/provider';

export interface ReconciliationDependencies {
  /** The telephony's call log; absent when no API key is configured (reconciliation is then off). */
  callLog?: CallLog;
  temporal: Client;
  taskQueue: string;
  settings: () => Settings;
  /**
   * The CRM account's time zone (Zoho's org, cached as the calls' CRM context): the log's zone when neither
   * `reconciliation.timeZone` nor `telephony.timeZone` is set, as it is a webhook's.
   */
  crmTimeZone: () => Promise<string>;
  /** The CallerKey search attribute of the calls a run starts, as the shim sets it. */
  callerKeyOf: CallerKeyOfEvent;
  logger: Logger;
  /** Counts the calls each scheduled run saw and recovered, and the unreadable fields left out of them (the process's metrics). */
  metrics?: Pick<Metrics, 'reconciliation' | 'webhook'>;
}

export function createReconciliationActivities(deps: ReconciliationDependencies) {
  // One per worker, not per run: a call log full of one unreadable field warns once a minute, as the shim does.
  const reportDropped = droppedFieldsReporter({
    warn: throttledLog(deps.logger),
    metrics: deps.metrics,
    source: 'reconciliation',
    accepted: 'call recovered from the call log',
  });
  return {
    async reconcileRecentCalls(input: { runAt: string }): Promise<ReconciliationReport> {
      const { callLog } = deps;
      if (!callLog) {
        throw ApplicationFailure.nonRetryable('reconciliation needs the call log: RINGOSTAT_API_KEY is not set on the worker', 'CallLogNotConfigured');
      }
      const settings = deps.settings();
      const runAt = new Date(input.runAt);
      const timeZone = await callLogTimeZone(settings, deps.crmTimeZone).catch((error: unknown) => {
        // Retried (Zoho may answer in a minute), never UTC instead: the log would be asked for the wrong hours.
        throw error instanceof CrmTimeZoneUnknown ? ApplicationFailure.retryable(error.message, error.name) : error;
      });
      const pass = async (window: TimeWindow, longerThanSeconds?: number) => {
        const report = await reconcileCalls({
          callLog,
          temporal: deps.temporal,
          taskQueue: deps.taskQueue,
          window,
          timeZone,
          source: 'reconciliation',
          logger: deps.logger,
          onProgress: (progress) => heartbeat(progress),
          reportDropped,
          callerKeyOf: deps.callerKeyOf,
          longerThanSeconds,
        });
        deps.metrics?.reconciliation.passed(report);
        return report;
      };
      try {
        const report = await pass(slidingWindow(runAt, settings.reconciliation));
        const sweep = longCallSweep(runAt, settings.reconciliation);
        return sweep ? { ...report, longCalls: await pass(sweep, longCallSeconds(settings.reconciliation)) } : report;
      } catch (error) {
        if (!(error instanceof CallLogRefused)) throw error;
        // Once per scheduled run, never a retry storm: the next run asks again.
        deps.logger.error({ reason: error.message }, 'reconciliation stopped: the telephony refused the call-log request');
        throw ApplicationFailure.nonRetryable(error.message, 'CallLogRefused');
      }
    },
  };
}
