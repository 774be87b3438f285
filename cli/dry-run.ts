/**
 * `callmatrix dry-run`: what a call event would do, without doing it. The event goes through the same steps as a
 * real webhook and workflow — the shim's parameter flattening and renaming, the telephony adapter, the workflow's
 * call summary, the client lookup activity (Zoho reads only), the matrix — and the plan is printed instead of
 * executed. Nothing is written to Zoho, to Temporal or to the local activation state.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import pino from 'pino';
import { openActivationStore, ACTIVATION_FILE } from '../activation/credential-store';
import { effectiveSettings } from '../activation/effective-settings';
import { createCrmActivities, type IntegrationState } from '../activities/crm';
import type { CrmContext } from '../activities/types';
import { flattenParameters } from '../telephony/flatten-parameters';
import type { DroppedField } from '../telephony/provider';
import { ringostatAdapter } from '../telephony/ringostat';
import { CALL_MOMENTS, type CallEvent, type CallMoment } from '../common/call-event';
import { ConfigError, UsageError } from '../config/config-error';
import { chooseSettingsFile, NO_SETTINGS_FILE } from '../config/settings-file';
import { loadEnvironment } from '../config/environment';
import { loadSettingsFile } from '../config/load-settings';
import type { Settings } from '../matrix/settings-schema';
import { explainPlan } from '../matrix';
import { afterCallToDecide, beforeCallToDecide, decideAfterCall, decideBeforeCall, NO_CALLER } from '../matrix/decide';
import type { CallFacts, CallStartFacts, CallerLookup, ClientLookupQuery } from '../matrix/input';
import type { CallPlan } from '../matrix/plan';
import { summarizeCallStart } from '../matrix/summarize-call';
import { createZohoClient, ZohoError, type CredentialsSource } from '../zoho';
import { accountsServer } from '../zoho/oauth';
import { terminalText } from './terminal-text';
import { environmentCredentials } from './zoho-credentials';
import { cliSecrets } from './local-secrets';
import { parseTimeZone } from './time-option';

interface DryRunOptions {
  event?: string;
  moment: CallMoment;
  settings?: string;
  zohoAccountsUrl?: string;
  lookup: boolean;
  timeZone: string;
  json?: boolean;
}

/** The webhook's parameters, from `--event` or a JSON file, as Ringostat sends them (nesting allowed). */
function readParameters(file: string | undefined, inline: string | undefined): unknown {
  if (file === undefined && inline === undefined) throw new UsageError('dry-run: give the event as a JSON file or with --event \'{...}\'');
  if (file !== undefined && inline !== undefined) throw new UsageError('dry-run: give the event either as a JSON file or with --event \'{...}\', not both');
  const [text, source] = inline !== undefined ? [inline, '--event'] : [readText(file!), file!];
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('expected a JSON object of webhook parameters');
    return value;
  } catch (error) {
    throw new UsageError(`${source}: not a JSON object of webhook parameters: ${(error as Error).message}`);
  }
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read the event file (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
}

/**
 * Where Zoho is read from: ZOHO_* credentials (at the accounts server of --zoho-accounts-url, ZOHO_ACCOUNTS_URL or
 * the DC), else the activation store of CALLMATRIX_DATA_DIR.
 */
async function zohoAccess(options: DryRunOptions): Promise<{ credentials: CredentialsSource; describe: string; settings?: (file: Settings) => Settings }> {
  const env = loadEnvironment(options.zohoAccountsUrl ? { ...process.env, ZOHO_ACCOUNTS_URL: options.zohoAccountsUrl } : process.env);
  const fromEnvironment = environmentCredentials(env);
  if (fromEnvironment) {
    const credentials = { current: async () => fromEnvironment };
    const server = accountsServer(fromEnvironment);
    await ensureZohoAnswers(credentials, server);
    return { credentials, describe: `Zoho CRM (${env.ZOHO_DC}, ZOHO_* credentials, accounts server ${server})` };
  }
  if (options.zohoAccountsUrl) {
    throw new ConfigError('dry-run: --zoho-accounts-url needs the credentials in ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN');
  }
  if (fs.existsSync(path.join(env.dataDir, ACTIVATION_FILE))) {
    // The key as every one-off command finds it: the environment's, or the one `npm start` keeps in the data folder.
    const { encryptionKey, previousEncryptionKeys } = cliSecrets(env);
    const store = await openActivationStore({ dataDir: env.dataDir, encryptionKey, previousEncryptionKeys, logger: pino({ level: 'silent' }) });
    if (store.connection()) {
      return {
        credentials: store,
        describe: `Zoho CRM (the activation in ${env.dataDir})`,
        settings: (file) => effectiveSettings(file, store),
      };
    }
  }
  throw new ConfigError(
    'dry-run: no Zoho CRM to look the caller up in: set ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN, ' +
      'activate the integration (CALLMATRIX_DATA_DIR, CALLMATRIX_ENCRYPTION_KEY), or pass --no-lookup to assume a new client',
  );
}

/** One read (the org) before anything else, so a server that does not speak Zoho's API is named in one line. */
async function ensureZohoAnswers(credentials: CredentialsSource, server: string): Promise<void> {
  try {
    await createZohoClient({ credentials, logger: pino({ level: 'silent' }) }).getOrg();
  } catch (error) {
    const reason = error instanceof ZohoError ? error.message : `${(error as Error).message ?? error}`;
    throw new ConfigError(`dry-run: cannot read Zoho CRM through the accounts server ${server}: is it a Zoho-compatible API? (${reason})`);
  }
}

/** Reads never write; a refused authorisation is reported here, not recorded in the shared activation state. */
const readOnlyIntegration = (credentials: CredentialsSource): IntegrationState => ({
  broken: () => undefined,
  current: () => credentials.current(),
  markBroken: async () => undefined,
  connection: () => undefined,
  recordTimeZone: async () => undefined,
});

function describeLookup(lookup: CallerLookup): string[] {
  const list = (label: string, found: { id: string; ownerId: string; name?: string }[]) =>
    found.length === 0 ? [] : [`  ${label}: ${found.map((r) => `${r.id}${r.name ? ` "${r.name}"` : ''} (owner ${r.ownerId})`).join(', ')}`];
  const lines = [...list('leads', lookup.leads), ...list('open deals', lookup.deals), ...list('contacts', lookup.contacts)];
  return lines.length === 0 ? ['  nobody: a new client'] : lines;
}

/** The call, as summarised for the matrix: a talk time the event lacks (billsec missing, or left out unreadable) is unknown. */
function describeCall(call: CallStartFacts & Partial<CallFacts>): string[] {
  const employee = call.employee ? Object.entries(call.employee).map(([k, v]) => `${k} ${v}`).join(', ') : 'none';
  const talk = call.talkSeconds !== undefined ? `, talk ${call.talkSeconds} s` : ', talk time unknown';
  return [
    `Call ${call.provider}:${call.callId}: ${call.direction}${call.outcome ? `, ${call.outcome}${talk}` : ''}`,
    `  client number ${call.clientNumberRaw ?? 'hidden'} → ${call.clientPhone ?? 'not a phone number'}; employee: ${employee}${call.transferred ? '; transferred' : ''}`,
  ];
}

/** The optional parameters the adapter could not read: the shim accepts the call without them, and counts them. */
function describeDropped(dropped: readonly DroppedField[]): string[] {
  if (dropped.length === 0) return [];
  return ['  left out, unreadable (the call is accepted without them):', ...dropped.map(({ field, problem }) => `    ${field}: ${problem}`)];
}

/** Every operation in full: what `explainPlan` summarises. */
function describeOperations(plan: CallPlan): string[] {
  return plan.operations.flatMap((operation, index) => {
    const owner = (operation.fields.Owner as { id?: string } | undefined)?.id;
    const links = Object.entries(operation.links).map(
      ([field, link]) => `${field} → ${'existing' in link ? `${link.existing.module} ${link.existing.id}` : `record of step '${link.createdBy}'`}`,
    );
    const target = operation.kind === 'update' ? ('existing' in operation.target ? ` ${operation.target.existing.module} ${operation.target.existing.id}` : ` record of step '${operation.target.createdBy}'`) : '';
    const fields = Object.entries(operation.fields).filter(([field]) => field !== 'Owner');
    return [
      `${index + 1}. ${operation.kind} ${operation.module}${target}  [rule ${operation.rule}, step '${operation.key}']`,
      `   owner: ${owner ?? '(unchanged)'}`,
      ...(links.length > 0 ? [`   links: ${links.join('; ')}`] : []),
      ...fields.map(([field, value]) => `   ${field}: ${typeof value === 'string' ? value.replace(/\n/g, '\n' + ' '.repeat(field.length + 5)) : JSON.stringify(value)}`),
    ];
  });
}

function printPlan(title: string, plan: CallPlan, out: string[]): void {
  out.push('', title, ...explainPlan(plan).map((line) => `  ${line}`));
  if (plan.distribution) {
    out.push(`  (O4 round robin: shown for turn ${plan.distribution.turn}; a real call takes the next turn when it is written)`);
  }
  if (plan.operations.length > 0) out.push('', 'Operations (nothing was written):', ...describeOperations(plan));
  else out.push('  Nothing would be written.');
}

export async function dryRun(file: string | undefined, options: DryRunOptions): Promise<string> {
  const body = readParameters(file, options.event);
  const env = loadEnvironment();
  const choice = chooseSettingsFile({ named: options.settings, variable: env.CALLMATRIX_SETTINGS, dataDir: env.dataDir });
  if (!choice) throw new ConfigError(NO_SETTINGS_FILE);
  if (choice.note) process.stderr.write(`callmatrix: ${choice.note}\n`);
  const fileSettings = loadSettingsFile(choice.file);
  const zoho = options.lookup || options.zohoAccountsUrl ? await zohoAccess(options) : undefined;
  const settings = zoho?.settings ? zoho.settings(fileSettings) : fileSettings;

  // The shim's steps: flatten (nested additional_call_data, renamed parameters), then the telephony adapter.
  const parameters = flattenParameters({}, body, settings.telephony.parameterNames);
  const adapted = ringostatAdapter.toCallEvent({ moment: options.moment, parameters, receivedAt: new Date(), timeZone: settings.telephony.timeZone });
  if (!adapted.ok) throw new UsageError(`the webhook would be rejected (400):\n${adapted.errors.map((e) => `  ${e}`).join('\n')}`);
  const events: CallEvent[] = [adapted.event];

  const activities = zoho
    ? createCrmActivities({
        zoho: createZohoClient({ credentials: zoho.credentials, logger: pino({ level: 'silent' }) }),
        settings: () => settings,
        integration: readOnlyIntegration(zoho.credentials),
        logger: pino({ level: 'silent' }),
      })
    : undefined;
  const context: CrmContext = activities ? await activities.loadCrmContext() : { settings, timeZone: options.timeZone, pipelines: [], callRecordingField: false };
  // The workflow's lookup, skipped where the matrix leaves the call alone anyway (internal, no client number).
  const lookupFor = async (query: ClientLookupQuery | undefined): Promise<{ lookup: CallerLookup; how: string }> => {
    if (!query) return { lookup: NO_CALLER, how: 'not looked up (the matrix leaves this call alone)' };
    if (!options.lookup || !activities) return { lookup: NO_CALLER, how: 'not looked up (--no-lookup): assumed a new client' };
    return { lookup: await activities.lookupCaller(query), how: `looked up in ${zoho!.describe} (read only)` };
  };

  const out: string[] = [];
  const plans: Record<string, CallPlan> = {};
  const afterCall = afterCallToDecide(events, context);
  const { call } = afterCall;
  const { lookup, how } = await lookupFor(afterCall.lookupQuery);
  out.push(
    ...describeCall(
      options.moment === 'end'
        ? call
        : summarizeCallStart(events, settings.telephony.defaultCountry, context.timeZone),
    ),
    ...describeDropped(adapted.dropped),
    `Client ${how}:`,
    ...describeLookup(lookup),
  );
  if (!zoho) out.push(`  CRM time zone assumed ${context.timeZone}, no deal pipelines known (no Zoho read)`);

  const beforeCall = beforeCallToDecide(events, context);
  if (beforeCall) {
    plans.beforeCall = decideBeforeCall(beforeCall.call, lookup, context);
    printPlan('When the call starts (create before the call, O1):', plans.beforeCall, out);
  }
  const decision = decideAfterCall({ call, lookup, crm: context });
  // A real call takes the round robin's next turn (O4); the dry run shows the first.
  plans.afterCall = decision.plan ?? decision.withDistributionTurn(0);
  const title =
    options.moment === 'end'
      ? 'When the call has ended:'
      : `No end event yet: the call waits for it up to ${settings.calls.endEventTimeoutMinutes} minutes, then is written with what is known:`;
  printPlan(title, plans.afterCall, out);

  if (options.json) return JSON.stringify({ event: adapted.event, dropped: adapted.dropped, call, lookup, timeZone: context.timeZone, plans }, null, 2);
  return out.join('\n');
}

export function registerDryRun(program: Command): void {
  program
    .command('dry-run')
    .description('Explain what a call event would write to Zoho CRM (rule, records, owners, links) without writing anything.')
    .argument('[file]', 'JSON file with the webhook parameters, under Ringostat\'s names (or use --event)')
    .option('--event <json>', 'the webhook parameters inline, as a JSON object (see the example below)')
    .addOption(new Option('--moment <moment>', 'the moment the webhook reports').choices([...CALL_MOMENTS]).default('end'))
    .option('--settings <file>', 'settings file (default CALLMATRIX_SETTINGS, else callmatrix.yaml, else the demo settings of npm start)')
    .option('--zoho-accounts-url <url>', 'the accounts server of any Zoho-compatible CRM to read, with the ZOHO_* credentials (overrides ZOHO_ACCOUNTS_URL; the CRM API is where its token response points)')
    .option('--no-lookup', 'do not ask Zoho: assume a new client (nothing found)')
    .option('--time-zone <iana>', 'the CRM time zone for due dates when Zoho is not read', parseTimeZone, 'UTC')
    .option('--json', 'print the event, the parameters left out unreadable, the call, the lookup and the plans as JSON')
    .addHelpText(
      'after',
      // Within the help's 80 columns: commander wraps the options, not this text.
      '\nReads Zoho only (the client lookup, the org time zone and the deal pipelines);\n' +
        'writes nothing anywhere. Zoho is reached with the ZOHO_* credentials\n' +
        '(ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN, ZOHO_DC) at the\n' +
        'accounts server of --zoho-accounts-url, ZOHO_ACCOUNTS_URL or the DC, else\n' +
        'through the activation in CALLMATRIX_DATA_DIR.\n\n' +
        'Example:\n' +
        '  callmatrix dry-run --settings callmatrix.yaml --no-lookup --event \'{\n' +
        '    "uniqueid": "42", "call_type": "in", "caller": "0671234567",\n' +
        '    "dst": "+380442000000", "disposition": "ANSWERED", "billsec": "42",\n' +
        '    "connected_with": "101"}\'\n',
    )
    .action(async (file: string | undefined, options: DryRunOptions) => {
      // The event's values come from the telephony: their control characters are shown escaped.
      process.stdout.write(terminalText(await dryRun(file, options)) + '\n');
    });
}
