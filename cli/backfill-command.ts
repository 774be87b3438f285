/**
 * `callmatrix backfill --from … --to … [--dry-run]` (L1): what scheduled reconciliation does, for any past range.
 * Every call in the telephony's log that callmatrix never received is started as if its webhook had arrived, once.
 * Progress goes to stderr (a bar on a terminal, plain lines otherwise); the summary goes to stdout.
 */
import { Client } from '@temporalio/client';
import type { Command } from 'commander';
import pino, { type Logger } from 'pino';
import { ActionableError, ConfigError, UsageError } from '../config/config-error';
import { loadEnvironment, type Environment } from '../config/environment';
import { createLogger } from '../config/logger';
import { callerKeyOfEvent, type CallerKeyOfEvent } from '../temporal/caller-key';
import { cliActivationStore, cliCallerKey } from './deployment-caller-key';
import type { ReconciliationReport } from '../temporal/contracts';
import { callLogTimeZone, CrmTimeZoneUnknown, reconcileCalls } from '../temporal/reconcile-calls';
import { CallLogRefused, type CallLog, type TimeWindow } from '../telephony/provider';
import { chosenSettings } from '../config/settings-file';
import { connectTemporal } from '../app/temporal-connection';
import { temporalConnection } from '../config/temporal-connection';
import { configuredCallLog } from '../app/call-log';
import { cliSecrets } from './local-secrets';
import { dataConverterFor } from '../app/shared-resources';
import type { ActivationStore } from '../activation/credential-store';
import { readAccountTimeZone } from '../activation/account-time-zone';
import { createZohoClient } from '../zoho';
import { parseTime } from './time-option';

export interface BackfillOptions {
  callLog: CallLog;
  /** The zone the log's wall-clock times are in: `callLogTimeZone`, as the worker's reconciliation picks it. */
  timeZone: string;
  temporal: Client;
  taskQueue: string;
  window: TimeWindow;
  dryRun: boolean;
  logger: Logger;
  /** Where progress goes: a bar when it is a terminal, one line per step otherwise. */
  progress: { isTTY?: boolean; write(text: string): unknown };
  /** The CallerKey search attribute of the calls it starts. */
  callerKeyOf?: CallerKeyOfEvent;
}

const HOUR = 3_600_000;
/** About this many steps, so the bar moves on a long range; none shorter than an hour, to spare the API. */
const STEPS = 100;

const COUNTS: [keyof ReconciliationReport, string][] = [
  ['seen', 'seen'],
  ['alreadyWritten', 'already written'],
  ['recovered', 'recovered'],
  ['ignored', 'ignored'],
  ['failed', 'failed'],
];

function progressLine(report: ReconciliationReport, done: number, tty: boolean): string {
  const counts = COUNTS.map(([key, label]) => `${label} ${report[key]}`).join(', ');
  if (!tty) return `backfill ${Math.round(done * 100)}%: ${counts}\n`;
  const width = 30;
  const filled = Math.round(done * width);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(done * 100)).padStart(3)}%  ${counts}\x1b[K`;
}

/** The counts, and how many of the recovered calls left each unreadable optional field out (the call went on without it). */
export type BackfillReport = ReconciliationReport & { droppedFields: Record<string, number> };

export function formatSummary(report: BackfillReport, dryRun: boolean): string {
  const lines = [`backfill ${report.from} → ${report.to}${dryRun ? ' (dry run: nothing was started)' : ''}`];
  for (const [key, label] of COUNTS) {
    const note = key === 'recovered' && dryRun ? '  (would be recovered)' : '';
    lines.push(`  ${label.padEnd(16)} ${String(report[key]).padStart(7)}${note}`);
  }
  const dropped = Object.entries(report.droppedFields).map(([field, calls]) => `${field} in ${calls} call${calls === 1 ? '' : 's'}`);
  if (dropped.length) {
    lines.push(`  left out, unreadable: ${dropped.join(', ')} (the calls ${dryRun ? 'would be' : 'were'} recovered without them; check what the telephony sends)`);
  }
  return lines.join('\n') + '\n';
}

/** Walks the range in steps, reconciling each, and adds the steps' counts up. */
export async function runBackfill(options: BackfillOptions): Promise<BackfillReport> {
  const { window, progress } = options;
  const start = window.from.getTime();
  const span = window.to.getTime() - start;
  const step = Math.max(HOUR, Math.ceil(span / STEPS));
  const total: ReconciliationReport = { from: window.from.toISOString(), to: window.to.toISOString(), seen: 0, alreadyWritten: 0, recovered: 0, ignored: 0, failed: 0 };
  const tty = progress.isTTY === true;
  const droppedFields: Record<string, number> = {};
  for (let from = start; from < window.to.getTime(); from += step) {
    const to = Math.min(from + step, window.to.getTime());
    const before = { ...total };
    await reconcileCalls({
      callLog: options.callLog,
      temporal: options.temporal,
      taskQueue: options.taskQueue,
      window: { from: new Date(from), to: new Date(to) },
      timeZone: options.timeZone,
      source: 'backfill',
      dryRun: options.dryRun,
      logger: options.logger,
      callerKeyOf: options.callerKeyOf,
      reportDropped(_call, dropped) {
        for (const { field } of dropped) droppedFields[field] = (droppedFields[field] ?? 0) + 1;
      },
      onProgress(report, done) {
        for (const [key] of COUNTS) (total[key] as number) = (before[key] as number) + (report[key] as number);
        progress.write(progressLine(total, (from - start + done * (to - from)) / span, tty));
      },
    });
  }
  if (tty) progress.write('\n');
  return { ...total, droppedFields };
}

/**
 * The CRM account's zone, Zoho's org `time_zone` as the worker's CRM context has it: through the deployment's
 * activation (seeded from the ZOHO_* variables when it is empty), which keeps it with the connection once read.
 */
function crmTimeZone(env: Environment, store: ActivationStore): Promise<string> {
  return readAccountTimeZone(store, createZohoClient({ credentials: store, edition: env.ZOHO_EDITION, logger: pino({ level: 'silent' }) }));
}

export function registerBackfillCommand(program: Command): void {
  program
    .command('backfill')
    .description("Start every call of a past range that is in the telephony's call log but never reached callmatrix (L1).")
    .requiredOption('--from <time>', 'start of the range (calls that started at or after it)', parseTime)
    .option('--to <time>', 'end of the range (exclusive; default now)', parseTime)
    .option('--dry-run', 'count what would be recovered; start nothing')
    .action(async (options: { from: Date; to?: Date; dryRun?: boolean }) => {
      const window = { from: options.from, to: options.to ?? new Date() };
      if (window.to <= window.from) throw new UsageError(`--to must be after --from (${window.from.toISOString()})`);
      const env = loadEnvironment();
      const settings = chosenSettings({ variable: env.CALLMATRIX_SETTINGS, dataDir: env.dataDir });
      const callLog = configuredCallLog(env);
      if (!callLog) throw new ConfigError('environment variable RINGOSTAT_API_KEY: required by backfill (Ringostat: Integration → Ringostat API)');
      const logger = createLogger('warn');
      // Opened once, when first needed: by the CRM's zone (no zone set) and by the callers' key (a call to start).
      let store: Promise<ActivationStore> | undefined;
      const activation = () => (store ??= cliActivationStore(env));
      const timeZone = await callLogTimeZone(settings, async () => crmTimeZone(env, await activation())).catch((error: unknown) => {
        throw error instanceof CrmTimeZoneUnknown ? new ActionableError(`backfill: ${error.message}`) : error;
      });
      const connection = await connectTemporal(temporalConnection(env));
      try {
        const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(cliSecrets(env)) });
        const report = await runBackfill({
          callLog,
          timeZone,
          temporal,
          taskQueue: env.CALLMATRIX_TASK_QUEUE,
          window,
          dryRun: options.dryRun === true,
          logger,
          progress: process.stderr,
          callerKeyOf: callerKeyOfEvent(async () => cliCallerKey(env, await activation()), () => settings.telephony.defaultCountry),
        });
        process.stdout.write(formatSummary(report, options.dryRun === true));
        if (report.failed > 0) process.exitCode = 1;
      } catch (error) {
        // A wrong key is the admin's to fix: say so, without a stack trace.
        if (error instanceof CallLogRefused) throw new ConfigError(error.message);
        throw error;
      } finally {
        await connection.close();
      }
    });
}
