/**
 * The reconciliation Schedule (L1): every `intervalMinutes` it starts a reconciliation run. Created or updated by
 * every worker at start (idempotent, and safe when two workers start at once), so a changed setting applies at the
 * next worker start. Off (no API key, or `enabled: false`) it stays visible in the Temporal UI, paused, with the
 * reason as its note.
 */
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleUpdateOptions } from '@temporalio/client';
import type { Logger } from 'pino';
import { reconciliationOff, scheduleOffNote } from '../config/reconciliation-off';
import type { Settings } from '../matrix/settings-schema';
import { reconciliationScheduleId, workflowTypes, type ReconciliationWorkflow } from './contracts';

export interface ReconciliationScheduleOptions {
  taskQueue: string;
  settings: Settings['reconciliation'];
  /** Whether the worker can read the call log (an API key is configured). */
  callLogConfigured: boolean;
  logger: Logger;
}

function scheduleOf({ taskQueue, settings, callLogConfigured }: ReconciliationScheduleOptions): ScheduleUpdateOptions {
  const off = reconciliationOff(settings, callLogConfigured);
  const every = settings.intervalMinutes * 60_000;
  return {
    spec: { intervals: [{ every }] },
    action: {
      type: 'startWorkflow',
      workflowType: workflowTypes.reconciliation,
      args: [] as Parameters<ReconciliationWorkflow>,
      workflowId: reconciliationScheduleId(taskQueue),
      taskQueue,
      // A stuck run must not hold back the next ones for ever (overlapping runs are skipped).
      workflowRunTimeout: '1 hour',
    },
    policies: {
      overlap: ScheduleOverlapPolicy.SKIP,
      // After downtime one run catches up; its overlap covers the gap up to overlapMinutes.
      catchupWindow: every,
      pauseOnFailure: false,
    },
    state: {
      paused: off !== undefined,
      note: off ? scheduleOffNote(off) : runningNote(settings),
    },
  };
}

/** What the runs check (`slidingWindow`, `longCallSweep`), for whoever looks at the Schedule. */
const runningNote = (settings: Settings['reconciliation']): string =>
  `every ${settings.intervalMinutes} min, calls that started ${settings.windowMinutes + settings.overlapMinutes} to ${settings.settleMinutes} minutes before each run; ` +
  `every ${settings.longCallSweepMinutes} min, also the calls up to ${settings.maxCallMinutes} minutes long that started before`;

export async function upsertReconciliationSchedule(client: Client, options: ReconciliationScheduleOptions): Promise<'created' | 'updated'> {
  const scheduleId = reconciliationScheduleId(options.taskQueue);
  const schedule = scheduleOf(options);
  const outcome = await upsert(client, scheduleId, schedule);
  options.logger.info({ scheduleId, outcome, ...schedule.state }, 'reconciliation schedule');
  return outcome;
}

async function upsert(client: Client, scheduleId: string, schedule: ScheduleUpdateOptions): Promise<'created' | 'updated'> {
  const update = () => client.schedule.getHandle(scheduleId).update(() => schedule);
  try {
    await update();
    return 'updated';
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  try {
    await client.schedule.create({ scheduleId, ...schedule });
    return 'created';
  } catch (error) {
    // Another worker created it meanwhile: make it ours.
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await update();
    return 'updated';
  }
}
