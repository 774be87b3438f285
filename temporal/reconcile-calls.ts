/**
 * Reconciliation (L1): compares the telephony's call log for a window with the call workflows and hands every call
 * that has none to the same path a webhook takes (`deliverCallEvent`, the same workflow id). A webhook that
 * arrives later lands in that workflow and changes nothing; a call that already has its workflow is left alone,
 * except that a running one is handed the log's event: it may still be waiting for its end, whose webhook was lost,
 * or for its recording (C2).
 * Run by the scheduled reconciliation activity and by `callmatrix backfill`; it does I/O, so never in a workflow.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Settings } from '../matrix/settings-schema';
import type { ReportDroppedFields } from '../observability/dropped-fields';
import type { AdapterResult, CallLog, TimeWindow } from '../telephony/provider';
import type { CallerKeyOfEvent } from './caller-key';
import { callWorkflowId, type ReconciliationReport, type RecoverySource } from './contracts';
import { deliverCallEvent } from './deliver-call-event';

export interface ReconcileOptions {
  callLog: CallLog;
  temporal: Client;
  taskQueue: string;
  window: TimeWindow;
  /** The zone the log's wall-clock times are in: `callLogTimeZone`. */
  timeZone: string;
  /** Marks the calls this run starts (the CallRecoveredBy search attribute). */
  source: RecoverySource;
  /** Count what would be recovered, start nothing. */
  dryRun?: boolean;
  logger: Logger;
  /** After each page of the log: the counts so far and the share of the window done (0–1). */
  onProgress?: (report: ReconciliationReport, done: number) => void;
  /** Counts and warns of the optional fields left out of each call this run starts. */
  reportDropped?: ReportDroppedFields;
  /** The CallerKey search attribute of each call this run starts, as the shim sets it. */
  callerKeyOf?: CallerKeyOfEvent;
  /**
   * Checks only the calls that lasted longer, or whose length the log does not give (the long-call sweep): the
   * shorter ones were checked by the runs whose windows held their start.
   */
  longerThanSeconds?: number;
}

/** A call-log entry the adapter could read: its `end` event, and the optional fields it left out. */
type ReadableCall = Extract<AdapterResult, { ok: true }>;

/** Calls checked at once: enough to hide Temporal's round trips, few enough not to crowd out the webhooks. */
const CONCURRENCY = 8;

type Verdict = 'alreadyWritten' | 'recovered' | 'failed';

/** Closed executions that did not complete: the call was not (fully) written; L2/L3 run them again. */
const UNFINISHED = new Set(['FAILED', 'TERMINATED', 'TIMED_OUT', 'CANCELLED']);

async function reconcileCall({ event, dropped }: ReadableCall, options: ReconcileOptions): Promise<Verdict> {
  const { temporal, taskQueue, source, logger } = options;
  const workflowId = callWorkflowId(event.provider, event.callId);
  try {
    const { status } = await temporal.workflow.getHandle(workflowId).describe();
    // A running call may be waiting for its end, its webhook lost — without one, an answered call is decided as
    // missed once `endEventTimeoutMinutes` pass — or for its recording (C2). The log's event goes with the end
    // webhook's request id (and link), so a call that already has that end gets no history event: every run may send it.
    if (status.name === 'RUNNING' && !options.dryRun) await deliverCallEvent(temporal, taskQueue, event);
    if (!UNFINISHED.has(status.name)) return 'alreadyWritten';
    logger.warn({ workflowId, execution: status.name }, 'call in the log whose workflow did not complete');
    return 'failed';
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  if (!options.dryRun) {
    const delivery = await deliverCallEvent(temporal, taskQueue, event, { recoveredBy: source, callerKeyOf: options.callerKeyOf });
    // A webhook may have started and finished the call since it was looked up: then it is not ours to count.
    if (delivery.outcome !== 'delivered') return 'alreadyWritten';
    logger.info({ workflowId, source }, 'call recovered from the call log');
  }
  // Only for a call this run starts (or, dry, would start): the runs' windows overlap, so every run sees a call
  // again, and a call its webhook brought was counted by the shim.
  options.reportDropped?.(event, dropped);
  return 'recovered';
}

export async function reconcileCalls(options: ReconcileOptions): Promise<ReconciliationReport> {
  const { window, logger } = options;
  const report: ReconciliationReport = {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    seen: 0,
    alreadyWritten: 0,
    recovered: 0,
    ignored: 0,
    failed: 0,
  };
  const span = Math.max(1, window.to.getTime() - window.from.getTime());
  for await (const page of options.callLog.pages(window, options.timeZone)) {
    const readable: ReadableCall[] = [];
    for (const call of page.calls) {
      // The sweep passes over calls the sliding windows checked; one whose length the log does not give, it checks.
      const { longerThanSeconds } = options;
      if (call.ok && longerThanSeconds !== undefined && (call.event.durationSeconds ?? Infinity) <= longerThanSeconds) continue;
      report.seen += 1;
      if (call.ok) readable.push(call);
      else {
        report.ignored += 1;
        logger.warn({ errors: call.errors }, 'call-log entry ignored: not a call callmatrix can process');
      }
    }
    for (let next = 0; next < readable.length; next += CONCURRENCY) {
      const verdicts = await Promise.all(
        readable.slice(next, next + CONCURRENCY).map((call) =>
          reconcileCall(call, options).catch((error: unknown) => {
            logger.error({ workflowId: callWorkflowId(call.event.provider, call.event.callId), err: error }, 'could not reconcile a call from the call log');
            return 'failed' as const;
          }),
        ),
      );
      for (const verdict of verdicts) report[verdict] += 1;
    }
    options.onProgress?.({ ...report }, Math.min(1, (page.window.to.getTime() - window.from.getTime()) / span));
  }
  return report;
}

/**
 * The window a scheduled run at `runAt` checks: its newest stretch (`windowMinutes`) plus `overlapMinutes` already
 * checked by earlier runs, ending `settleMinutes` before the run so calls still in progress are left to their webhooks.
 */
export function slidingWindow(
  runAt: Date,
  settings: { windowMinutes: number; overlapMinutes: number; settleMinutes: number },
): TimeWindow {
  const minute = 60_000;
  const to = new Date(runAt.getTime() - settings.settleMinutes * minute);
  return { from: new Date(to.getTime() - (settings.windowMinutes + settings.overlapMinutes) * minute), to };
}

/**
 * The long-call sweep of a scheduled run at `runAt`, or undefined when this run makes none. The log lists a call by
 * its start, with its outcome and length, known only when it ended: a call longer than the sliding window's reach
 * (about an hour) ends after its start has left every run's window. One run in each `longCallSweepMinutes`
 * period — the first: the Schedule's runs fall on multiples of `intervalMinutes` since the epoch — also looks
 * `maxCallMinutes` back,
 * plus two sweep periods (a sweep that did not run, a late log), up to where its sliding window begins, and checks
 * only the calls too long for the sliding windows (`longCallSeconds`): each check is a Temporal round trip, and the
 * short calls of those hours were checked a dozen times already.
 */
export function longCallSweep(runAt: Date, settings: Settings['reconciliation']): TimeWindow | undefined {
  const minute = 60_000;
  if (runAt.getTime() % (settings.longCallSweepMinutes * minute) >= settings.intervalMinutes * minute) return undefined;
  const recent = slidingWindow(runAt, settings);
  const from = new Date(recent.to.getTime() - (settings.maxCallMinutes + 2 * settings.longCallSweepMinutes) * minute);
  return from < recent.from ? { from, to: recent.from } : undefined;
}

/**
 * Calls that lasted at most this long were in the log while at least half of the sliding windows that held their
 * start were still to run (30 minutes by default, six runs): the sliding windows check them, the sweep does not.
 */
export const longCallSeconds = (settings: Settings['reconciliation']): number =>
  ((settings.windowMinutes + settings.overlapMinutes) / 2) * 60;

/** The CRM account's zone was needed for the call log and Zoho did not give it: a run fails, to be tried again. */
export class CrmTimeZoneUnknown extends Error {
  override readonly name = 'CrmTimeZoneUnknown';
}

/**
 * The zone the call log's wall-clock times are in: the project's zone, one fact with one setting. It is the zone a
 * webhook's `calldate` is read in — `telephony.timeZone`, else the CRM account's zone — so the log is asked for the
 * hours the webhooks' times were written in; `reconciliation.timeZone` only overrides it for the log. The CRM
 * account's zone (`crmTimeZone`, Zoho's org) is read only when neither is set; when it cannot be, this fails rather
 * than guess UTC, which would ask the log for the wrong hours and miss the calls whose webhooks were lost.
 */
export async function callLogTimeZone(settings: Settings, crmTimeZone: () => Promise<string>): Promise<string> {
  const set = settings.reconciliation.timeZone ?? settings.telephony.timeZone;
  if (set) return set;
  try {
    return await crmTimeZone();
  } catch (error) {
    throw new CrmTimeZoneUnknown(
      "the call log is read in the CRM account's time zone (neither reconciliation.timeZone nor telephony.timeZone is set), " +
        `and Zoho CRM did not give it: ${error instanceof Error ? error.message : String(error)}. ` +
        "Try again once Zoho answers, or set telephony.timeZone to the Ringostat project's zone",
      { cause: error },
    );
  }
}
