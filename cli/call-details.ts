/**
 * `callmatrix calls show <call id>`: one call as a person reads it. The events the telephony sent, the rule and
 * scenario, the plan, and every record written with its link in the Zoho CRM web app and the call's link in the
 * Temporal UI. Read from the call's workflow history, decrypted with the deployment's key (the CLI holds it,
 * like the worker), so it works for calls that finished long ago, and for failed ones, with no worker running.
 */
import { Client, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type DataConverter, type Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { Command } from 'commander';
import type { CallEvent } from '../common/call-event';
import { normalizePhone, phoneVariants } from '../common/phone';
import { chosenSettings } from '../config/settings-file';
import { loadEnvironment, type Environment } from '../config/environment';
import { createLogger, logFormat } from '../config/logger';
import { temporalConnection } from '../config/temporal-connection';
import { ActionableError } from '../config/config-error';
import { connectTemporal } from '../app/temporal-connection';
import type { CallPlan, PlanOperation } from '../matrix/plan';
import type { CallStatusView, WrittenRecord } from '../temporal/call-status';
import { callEventSignal, callStatusQuery, namedCallWorkflowId, searchAttributes } from '../temporal/contracts';
import { createZohoClient } from '../zoho';
import type { DataCentre } from '../zoho/data-centres';
import { crmRecordUrl } from '../zoho/web-links';
import { cliSecrets } from './local-secrets';
import { terminalText } from './terminal-text';
import { dataConverterFor, openSharedActivationStore, type RuntimeSecrets } from '../app/shared-resources';
import { environmentCredentials } from './zoho-credentials';

export interface CallDetails {
  workflowId: string;
  runId: string;
  /** Temporal's view of the run: RUNNING, COMPLETED, FAILED, TERMINATED… */
  execution: string;
  /** callmatrix's status (the CallStatus search attribute). */
  status?: string;
  rule?: string;
  scenario?: string;
  startedAt: string;
  closedAt?: string;
  /** Every event received, re-sent ones included, in arrival order. */
  events: CallEvent[];
  /** What the matrix planned, and why; a failed call's plan has no explanation (only its operations are kept). */
  plan?: Pick<CallPlan, 'operations' | 'explanation'>;
  written: WrittenRecord[];
  /** Why the call failed, decrypted: Zoho's refusal with the field it names. */
  failure?: string;
  /** The running call waits for an earlier call of its caller (M17), the one named when known. */
  waitingForCallerTurn?: { heldBy?: string };
  /**
   * The call's Zoho steps Temporal is retrying (a Zoho outage, 5xx, timeouts): which, how often, the last error
   * decrypted, and when the next attempt is due. The lookups run inside the worker's workflow task, so only the
   * writes (`applyPlan`) are seen here; `callmatrix_activities_retrying` counts both.
   */
  retrying: { activity: string; attempt: number; lastFailure?: string; nextAttemptAt?: string }[];
}

/** A protobuf timestamp as ISO 8601. */
const isoOf = (timestamp: { seconds?: unknown; nanos?: number | null } | null | undefined): string | undefined =>
  timestamp?.seconds == null ? undefined : new Date(Number(timestamp.seconds) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1e6)).toISOString();

/** Applies the codecs (decryption) and the default converter: what a client does to a result, for raw history. */
export async function decodePayloads(dataConverter: DataConverter, payloads: Payload[] | null | undefined): Promise<unknown[]> {
  let decoded = payloads ?? [];
  for (const codec of [...(dataConverter.payloadCodecs ?? [])].reverse()) decoded = await codec.decode(decoded);
  return decoded.map((payload) => defaultPayloadConverter.fromPayload(payload));
}

/** A failure's messages down its cause chain; encoded attributes (the real message) decrypted. */
async function failureMessage(dataConverter: DataConverter, failure: temporal.api.failure.v1.IFailure | null | undefined): Promise<string> {
  const messages: string[] = [];
  for (let level = failure; level; level = level.cause) {
    const [attributes] = level.encodedAttributes ? await decodePayloads(dataConverter, [level.encodedAttributes as Payload]) : [];
    const message = (attributes as { message?: string } | undefined)?.message ?? level.message ?? '';
    if (message && !messages.includes(message)) messages.push(message);
  }
  return messages.join(': ');
}

/** Waits for a running call's answer only briefly: the query needs a worker, and the history has the rest. */
async function queryWithin(handle: WorkflowHandle, ms: number): Promise<CallStatusView | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([handle.query(callStatusQuery).catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

/** What `calls show` and `calls retry` say of a workflow id Temporal does not know. */
export const NO_SUCH_CALL = 'no such call';
/** Where an operator who named a call Temporal does not know goes next: by the client's number, or the call log (L1). */
const FINDING_CALLS =
  "`callmatrix calls --phone <number>` finds a client's calls by their number; a call callmatrix never received is " +
  "started from the telephony's call log by reconciliation, or by `callmatrix backfill` for an older range";

export async function readCallDetails(client: Client, dataConverter: DataConverter, workflowId: string): Promise<CallDetails> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await handle.describe().catch((error: unknown) => {
    throw error instanceof WorkflowNotFoundError ? new ActionableError(`${workflowId}: ${NO_SUCH_CALL}. ${FINDING_CALLS}`) : error;
  });
  const attribute = (key: (typeof searchAttributes)[keyof typeof searchAttributes]) => {
    const value = description.typedSearchAttributes.get(key);
    return value === undefined ? undefined : String(value);
  };
  const details: CallDetails = {
    workflowId,
    runId: description.runId,
    execution: description.status.name,
    status: attribute(searchAttributes.status),
    rule: attribute(searchAttributes.rule),
    scenario: attribute(searchAttributes.scenario),
    // When the call started, as `calls` lists it (the telephony's time): a call reconciliation recovered hours later
    // started when the customer called, not when its workflow did.
    startedAt: ((description.typedSearchAttributes.get(searchAttributes.startedAt) as Date | undefined) ?? description.startTime).toISOString(),
    closedAt: description.closeTime?.toISOString(),
    events: [],
    written: [],
    retrying: await Promise.all(
      (description.raw.pendingActivities ?? [])
        .filter((activity) => (activity.attempt ?? 1) > 1)
        .map(async (activity) => ({
          activity: activity.activityType?.name ?? '',
          attempt: activity.attempt ?? 1,
          lastFailure: activity.lastFailure ? await failureMessage(dataConverter, activity.lastFailure) : undefined,
          nextAttemptAt: isoOf(activity.nextAttemptScheduleTime),
        })),
    ),
  };
  let view: CallStatusView | undefined;
  const planInputs = new Map<string, PlanOperation[]>();
  for (const event of (await handle.fetchHistory()).events ?? []) {
    const signal = event.workflowExecutionSignaledEventAttributes;
    if (signal?.signalName === callEventSignal.name) {
      details.events.push(...((await decodePayloads(dataConverter, signal.input?.payloads as Payload[])) as CallEvent[]));
    }
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name === 'applyPlan') {
      const [input] = (await decodePayloads(dataConverter, scheduled.input?.payloads as Payload[])) as { operations: PlanOperation[] }[];
      planInputs.set(String(event.eventId), input.operations);
    }
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed && planInputs.has(String(completed.scheduledEventId))) {
      const [records] = (await decodePayloads(dataConverter, completed.result?.payloads as Payload[])) as WrittenRecord[][];
      details.written.push(...records);
    }
    const result = event.workflowExecutionCompletedEventAttributes?.result;
    if (result) [view] = (await decodePayloads(dataConverter, result.payloads as Payload[])) as CallStatusView[];
    const failed = event.workflowExecutionFailedEventAttributes;
    if (failed) details.failure = await failureMessage(dataConverter, failed.failure);
  }
  if (!view && details.execution === 'RUNNING') view = await queryWithin(handle, 3_000);
  if (view) {
    if (view.plan) details.plan = { operations: view.plan.operations, explanation: view.plan.explanation };
    details.written = view.written;
    if (view.waitingForCallerTurn) details.waitingForCallerTurn = view.waitingForCallerTurn;
  } else if (planInputs.size) {
    // A failed call returns no view: its plan's operations are the last applyPlan's input.
    details.plan = { operations: [...planInputs.values()].at(-1)!, explanation: [] };
  }
  return details;
}

export interface CallLinks {
  /** The Temporal UI's page of the call. */
  temporal?: string;
  /** A record's page in the Zoho CRM web app. */
  record?(module: string, id: string): string;
}

/** The Temporal UI page of a workflow run. */
export function temporalUiUrl(base: string, namespace: string, workflowId: string, runId: string): string {
  return `${base.replace(/\/$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}/${runId}/history`;
}

function describeEvent(event: CallEvent): string {
  const facts = [
    event.direction,
    event.outcome,
    event.clientNumber && `client ${event.clientNumber}`,
    event.companyNumber && `line ${event.companyNumber}`,
    event.employee && `employee ${[event.employee.extension, event.employee.sipLogin, event.employee.phone, event.employee.name].filter(Boolean).join(' / ')}`,
    event.talkSeconds !== undefined && `talk ${event.talkSeconds} s`,
    event.durationSeconds !== undefined && `total ${event.durationSeconds} s`,
    event.recordingUrl && `recording ${event.recordingUrl}`,
  ].filter(Boolean);
  return `  ${event.receivedAt}  ${event.moment.padEnd(6)}  ${facts.join(', ')}`;
}

function describeOperation(operation: PlanOperation, index: number): string[] {
  const indent = '       ';
  const field = (name: string, value: unknown) => {
    const text = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
    // Descriptions run over several lines: continuation lines keep to the value's column.
    return `${indent}${name}: ${text.split('\n').join(`\n${indent}${' '.repeat(name.length + 2)}`)}`;
  };
  return [
    `  ${index + 1}. ${operation.kind} ${operation.module} [${operation.rule}]`,
    ...Object.entries(operation.fields).map(([name, value]) => field(name, value)),
    ...Object.entries(operation.links).map(([name, link]) => field(name, 'createdBy' in link ? `the record of "${link.createdBy}"` : link.existing)),
  ];
}

export function formatCallDetails(details: CallDetails, links: CallLinks = {}): string {
  const lines = [
    `Call ${details.workflowId}`,
    `  Status     ${details.status ?? '(none yet)'}  (Temporal: ${details.execution})`,
    `  Rule       ${details.rule ?? '(not decided)'}${details.scenario ? `  ${details.scenario}` : ''}`,
    `  Started    ${details.startedAt}${details.closedAt ? `   closed ${details.closedAt}` : ''}`,
    ...(links.temporal ? [`  Temporal   ${links.temporal}`] : []),
    ...(details.failure ? [`  Failure    ${details.failure}`] : []),
    ...(details.waitingForCallerTurn
      ? [`  Waiting    for ${details.waitingForCallerTurn.heldBy ?? 'an earlier call of the same caller'} to finish its writes: one call of a caller at a time (M17)`]
      : []),
    ...details.retrying.map(
      ({ activity, attempt, lastFailure, nextAttemptAt }) =>
        `  Retrying   ${activity}, attempt ${attempt}${nextAttemptAt ? `, next at ${nextAttemptAt}` : ''}: ${lastFailure ?? 'no answer yet'} (written once Zoho answers; nothing to do)`,
    ),
    '',
    `Events received (${details.events.length})`,
    ...details.events.map(describeEvent),
    '',
    'Plan',
    ...(details.plan?.operations.length
      ? details.plan.operations.flatMap(describeOperation)
      : [details.plan || details.execution !== 'RUNNING' ? '  nothing to write' : '  not decided yet: the matrix decides once the call has ended and its caller is looked up']),
    ...(details.plan?.explanation.length ? details.plan.explanation.map((reason) => `  · ${reason}`) : []),
    '',
    `Records written (${details.written.length})`,
    ...details.written.map(
      (record) =>
        `  ${record.module.padEnd(8)} ${record.id}  ${record.created ? 'created' : 'existed'}  ${record.operation}` +
        (links.record ? `  ${links.record(record.module, record.id)}` : ''),
    ),
  ];
  return lines.join('\n') + '\n';
}

/**
 * The details as JSON, for scripts, and as safe for a terminal as the text: JSON.stringify leaves C1 controls (the
 * CSI U+009B among them), U+2028/2029 and bidi overrides raw, so they are escaped too; the JSON parses the same.
 */
export function formatCallDetailsJson(details: CallDetails, links: CallLinks = {}): string {
  const written = details.written.map((record) => ({ ...record, url: links.record?.(record.module, record.id) }));
  return terminalText(JSON.stringify({ ...details, written, temporalUrl: links.temporal }, null, 2)) + '\n';
}

/**
 * The output with the client's number and the recording links masked, for pasting into a ticket: every form the
 * number may be written in (as the telephony sent it, E.164, the stored-format variants the lookup uses), in the
 * events, the plan's fields and reasons alike. Ids, rules and times stay, so support can still find the call.
 */
export function redacted(output: string, details: Pick<CallDetails, 'events'>, defaultCountry: string): string {
  const masks = new Map<string, string>();
  for (const { clientNumber, recordingUrl } of details.events) {
    if (recordingUrl) masks.set(recordingUrl, '[recording link]');
    if (!clientNumber) continue;
    const e164 = normalizePhone(clientNumber, defaultCountry);
    const mask = `[client number …${clientNumber.replace(/\D/g, '').slice(-2)}]`;
    const forms = [clientNumber, ...(e164 ? [e164, e164.slice(1), ...phoneVariants(e164, defaultCountry)] : [])];
    for (const form of forms) if (form.replace(/\D/g, '').length >= 5) masks.set(form, mask);
  }
  // Longest first, so a form that contains another (E.164 and its digits) is masked whole.
  return [...masks].sort(([a], [b]) => b.length - a.length).reduce((text, [value, mask]) => text.split(value).join(mask), output);
}

/** Where the Zoho web app shows this deployment's records: the activation's data centre and the org's domain. */
async function recordLinks(env: Environment, secrets: RuntimeSecrets): Promise<CallLinks['record']> {
  const logger = createLogger('error', logFormat(env.LOG_FORMAT));
  const store = await openSharedActivationStore(env, secrets, environmentCredentials(env), logger);
  const credentials = await store.current();
  const dc: DataCentre = credentials?.dc ?? env.ZOHO_DC;
  // The org's domain name makes the link open the right org; without Zoho, the CRM opens the user's default one.
  const org = credentials ? await createZohoClient({ credentials: store, edition: env.ZOHO_EDITION, logger }).getOrg().catch(() => undefined) : undefined;
  return (module, id) => crmRecordUrl({ dc, domainName: org?.domain_name }, module, id);
}

export function registerCallDetails(calls: Command): void {
  calls
    .command('show')
    .argument('<call id>', "the telephony's call id (Ringostat's uniqueid) or the call's workflow id (call:ringostat:<id>)")
    .option('--provider <name>', 'telephony provider', 'ringostat')
    .option('--json', 'print the details as JSON')
    .option('--redact', "mask the client's number and the recording links (to paste into a ticket)")
    .description('Show one call: events received, rule and scenario, plan, records written with their links.')
    .action(async (callId: string, options: { provider: string; json?: boolean; redact?: boolean }) => {
      const env = loadEnvironment();
      const secrets = cliSecrets(env);
      const dataConverter = dataConverterFor(secrets);
      const connection = await connectTemporal(temporalConnection(env));
      try {
        const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter });
        const details = await readCallDetails(client, dataConverter, namedCallWorkflowId(options.provider, callId));
        const uiBase = env.TEMPORAL_UI_URL ?? (env.TEMPORAL_ADDRESS ? undefined : `http://127.0.0.1:${env.TEMPORAL_UI_PORT}`);
        const links: CallLinks = {
          temporal: uiBase && temporalUiUrl(uiBase, env.TEMPORAL_NAMESPACE, details.workflowId, details.runId),
          record: await recordLinks(env, secrets),
        };
        // Event parameters and Zoho's messages come from outside: no control character reaches the terminal.
        const output = options.json ? formatCallDetailsJson(details, links) : terminalText(formatCallDetails(details, links));
        // With --redact, the settings' country reads a number the telephony sent without one, as the calls read it.
        const country = (): string => chosenSettings({ variable: env.CALLMATRIX_SETTINGS, dataDir: env.dataDir }).telephony.defaultCountry;
        process.stdout.write(options.redact ? redacted(output, details, country()) : output);
      } finally {
        await connection.close();
      }
    });
}
