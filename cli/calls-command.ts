/**
 * `callmatrix calls`: lists calls by status from Temporal's visibility, e.g. the calls that expired or were
 * discarded after a re-activation (R2), so an admin can still act on them; `callmatrix calls retry` runs failed,
 * terminated or timed-out calls again once the admin has fixed the cause (L3). Only ids and search attributes are
 * printed: the call data itself stays encrypted in each call's history (see it in the Temporal UI). `--phone` finds
 * a client's calls ([Operations]: "a customer says their call is not in the CRM") by their CallerKey, the number
 * keyed with the deployment's key, as the UI can; calls started before that attribute existed have none, and their
 * number is read from their first events, decrypted with the deployment's key.
 */
import crypto from 'node:crypto';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { DataConverter, Payload } from '@temporalio/common';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { LISTED_CALL_STATUSES, RETRYABLE_STATUSES, type ListedCallStatus } from '../temporal/call-status';
import { callEventSignal, namedCallWorkflowId, searchAttributes } from '../temporal/contracts';
import type { CallEvent } from '../common/call-event';
import { normalizePhone, phonesEqual } from '../common/phone';
import { chosenSettings } from '../config/settings-file';
import { dataConverterFor } from '../app/shared-resources';
import { cliSecrets } from './local-secrets';
import { UsageError } from '../config/config-error';
import { loadEnvironment } from '../config/environment';
import { temporalConnection } from '../config/temporal-connection';
import { connectTemporal } from '../app/temporal-connection';
import { terminalText, terminalValue } from './terminal-text';
import { decodePayloads, NO_SUCH_CALL, registerCallDetails } from './call-details';
import { parseTime } from './time-option';
import { cliCallerKey } from './deployment-caller-key';
import { listCalls, type CallRow, type ListOptions } from '../temporal/list-calls';

/** How far back `--phone` reads the calls without a CallerKey, without `--since`: each costs a history read. */
const PHONE_SEARCH_DAYS = 7;

/** The client numbers a call's events name, from the first page of its latest run's history, decrypted. */
async function clientNumbersOf(client: Client, dataConverter: DataConverter, workflowId: string): Promise<string[]> {
  const { namespace } = client.options;
  // A call's events arrive with its start, so the first events hold them (a call's every event names the client).
  const { history } = await client.workflowService.getWorkflowExecutionHistory({ namespace, execution: { workflowId }, maximumPageSize: 20 });
  const numbers: string[] = [];
  for (const event of history?.events ?? []) {
    const signal = event.workflowExecutionSignaledEventAttributes;
    if (signal?.signalName !== callEventSignal.name) continue;
    const events = (await decodePayloads(dataConverter, signal.input?.payloads as Payload[])) as CallEvent[];
    numbers.push(...events.flatMap((call) => (call.clientNumber ? [call.clientNumber] : [])));
  }
  return numbers;
}

/**
 * The calls with this client (the caller of an incoming call, the callee of an outgoing one), newest first, at
 * most `limit`: those with its CallerKey, and those without one (started before the attribute existed) that
 * started since `withoutKeySince`, each one's number read from its history. `searched`: how many histories.
 */
export async function listCallsWithClient(
  client: Client,
  dataConverter: DataConverter,
  phone: { e164: string; defaultCountry: string; callerKey: string },
  options: ListOptions & { withoutKeySince: Date },
): Promise<{ rows: CallRow[]; searched: number }> {
  const rows = await listCalls(client, { ...options, callerKey: phone.callerKey });
  const withoutKey = await listCalls(client, { ...options, since: options.withoutKeySince, limit: undefined, callerKey: null });
  for (const row of withoutKey) {
    const numbers = await clientNumbersOf(client, dataConverter, row.workflowId);
    if (numbers.some((number) => phonesEqual(number, phone.e164, phone.defaultCountry))) rows.push(row);
  }
  rows.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return { rows: rows.slice(0, options.limit), searched: withoutKey.length };
}

/** Call ids come from the telephony: a table cell or JSON line shows their control characters escaped. */
export function formatCalls(rows: CallRow[], json = false): string {
  // JSON escapes C0 controls itself; what it leaves raw can only sit inside strings, where \uXXXX is valid JSON.
  if (json) return rows.map((row) => terminalValue(JSON.stringify(row)) + '\n').join('');
  return formatTable(rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, terminalValue(v)])) as unknown as CallRow));
}

function formatTable(rows: CallRow[]): string {
  if (rows.length === 0) return 'no calls\n';
  const header: CallRow = { workflowId: 'WORKFLOW', callId: 'CALL', startedAt: 'STARTED', status: 'STATUS', rule: 'RULE', scenario: 'SCENARIO', outcome: 'OUTCOME' };
  const columns = Object.keys(header) as (keyof CallRow)[];
  const widths = columns.map((c) => Math.max(...[header, ...rows].map((r) => r[c].length)));
  return [header, ...rows].map((row) => columns.map((c, i) => row[c].padEnd(widths[i])).join('  ').trimEnd()).join('\n') + '\n';
}

export interface RetryResult {
  workflowId: string;
  outcome: 'retried' | 'not-found' | 'running' | 'completed';
  /** The run that now writes the call. */
  runId?: string;
}

/**
 * Runs a failed, terminated or timed-out call again: a reset of its latest run to its first workflow task, so the
 * new run keeps every event the call received and takes the current settings and CRM state. The new run checks
 * each record's idempotency marker before writing, so what the failed run wrote is not written again (L3).
 */
export async function retryCall(client: Client, workflowId: string): Promise<RetryResult> {
  let latest;
  try {
    latest = await client.workflow.getHandle(workflowId).describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { workflowId, outcome: 'not-found' };
    throw error;
  }
  if (latest.status.name === 'RUNNING') return { workflowId, outcome: 'running' };
  if (latest.status.name === 'COMPLETED') return { workflowId, outcome: 'completed' };
  const { namespace } = client.options;
  const execution = { workflowId, runId: latest.runId };
  // The first completed workflow task is among the first events (started, the first event's signal, the task).
  const { history } = await client.workflowService.getWorkflowExecutionHistory({ namespace, execution, maximumPageSize: 10 });
  const firstTask = history?.events?.find((event) => event.workflowTaskCompletedEventAttributes);
  if (!firstTask) throw new Error(`${workflowId}: its run ended before any workflow task completed, so it cannot be reset`);
  const { runId } = await client.workflowService.resetWorkflowExecution({
    namespace,
    workflowExecution: execution,
    workflowTaskFinishEventId: firstTask.eventId,
    requestId: crypto.randomUUID(),
    reason: 'callmatrix calls retry (L3)',
  });
  return { workflowId, outcome: 'retried', runId: runId ?? undefined };
}

const RETRY_MESSAGES: Record<RetryResult['outcome'], string> = {
  retried: 'retried: follow it with `callmatrix calls`',
  'not-found': NO_SUCH_CALL,
  running: 'still running: nothing to retry',
  completed: 'completed (written, ignored, discarded or expired): nothing to retry',
};

function parseLimit(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) throw new InvalidArgumentError('expected a whole number of calls, 1 or more');
  return Number(value);
}

async function withClient<T>(work: (client: Client, env: ReturnType<typeof loadEnvironment>) => Promise<T>): Promise<T> {
  const env = loadEnvironment();
  const connection = await connectTemporal(temporalConnection(env));
  try {
    return await work(new Client({ connection, namespace: env.TEMPORAL_NAMESPACE }), env);
  } finally {
    await connection.close();
  }
}

export function registerCallsCommand(program: Command): void {
  const calls = program
    .command('calls')
    .description('List calls by status (e.g. expired or discarded after a re-activation), newest first.')
    // `calls retry --status …` is the retry's option, not the listing's.
    .enablePositionalOptions()
    .addOption(new Option('--status <status>', 'only calls with this status').choices(LISTED_CALL_STATUSES))
    .option('--since <time>', 'only calls that started at or after this time', parseTime)
    .option('--until <time>', 'only calls that started before this time', parseTime)
    .option('--phone <number>', 'only calls with this client number, in any format')
    .option('--limit <n>', 'at most this many calls, the newest', parseLimit, 100)
    .option('--json', 'print JSON lines instead of a table')
    .action(async (options: { status?: ListedCallStatus; since?: Date; until?: Date; phone?: string; limit: number; json?: boolean }) => {
      await withClient(async (client, env) => {
        const listing = { ...options, taskQueue: env.CALLMATRIX_TASK_QUEUE };
        if (!options.phone) {
          process.stdout.write(formatCalls(await listCalls(client, listing), options.json));
          return;
        }
        const { defaultCountry } = chosenSettings({ variable: env.CALLMATRIX_SETTINGS, dataDir: env.dataDir }).telephony;
        const e164 = normalizePhone(options.phone, defaultCountry);
        if (!e164) throw new UsageError(`option '--phone <number>': '${terminalText(options.phone)}' is not a phone number (read in ${defaultCountry}, telephony.defaultCountry)`);
        const withoutKeySince = options.since ?? new Date((options.until?.getTime() ?? Date.now()) - PHONE_SEARCH_DAYS * 86_400_000);
        const callerKey = (await cliCallerKey(env))(e164);
        const phone = { e164, defaultCountry, callerKey };
        const { rows, searched } = await listCallsWithClient(client, dataConverterFor(cliSecrets(env)), phone, { ...listing, withoutKeySince });
        process.stdout.write(formatCalls(rows, options.json));
        process.stderr.write(
          `calls of ${e164}: in the Temporal UI, ${searchAttributes.callerKey.name} = "${callerKey}"; ` +
            `also searched the history of the ${searched} call${searched === 1 ? '' : 's'} without one since ${withoutKeySince.toISOString()}` +
            `${options.since ? '' : ' (--since to look further back)'}\n`,
        );
      });
    });
  calls
    .command('retry')
    .description('Run failed, terminated or timed-out calls again, after fixing the cause; each record is written once.')
    .argument('[call...]', 'call ids (Ringostat uniqueid) or workflow ids (call:ringostat:<id>)')
    .addOption(new Option('--status <status>', 'retry every call with this status').choices(RETRYABLE_STATUSES))
    .option('--since <time>', 'with --status: only calls that started at or after this time', parseTime)
    .option('--provider <name>', 'telephony of the call ids', 'ringostat')
    .action(async (ids: string[], options: { status?: ListedCallStatus; since?: Date; provider: string }) => {
      if (ids.length === 0 && !options.status) throw new UsageError('calls retry: name the calls to retry, or pass --status failed');
      await withClient(async (client, env) => {
        const listed = options.status
          ? await listCalls(client, { status: options.status, since: options.since, taskQueue: env.CALLMATRIX_TASK_QUEUE })
          : [];
        const workflowIds = [...ids.map((id) => namedCallWorkflowId(options.provider, id)), ...listed.map((row) => row.workflowId)];
        let unretried = 0;
        for (const workflowId of workflowIds) {
          let line: string;
          try {
            const { outcome } = await retryCall(client, workflowId);
            if (outcome === 'not-found') unretried += 1;
            line = RETRY_MESSAGES[outcome];
          } catch (error) {
            // One call that cannot be retried does not stop the others.
            unretried += 1;
            line = `not retried: ${error instanceof Error ? error.message : String(error)}`;
          }
          process.stdout.write(`${terminalText(workflowId)}: ${terminalText(line)}\n`);
        }
        if (workflowIds.length === 0) process.stdout.write('no calls to retry\n');
        if (unretried > 0) process.exitCode = 1;
      });
    });
  registerCallDetails(calls);
}
