/**
 * `callmatrix activate`, `users` and `doctor`: activation from a server without a browser (A1), the admin's
 * choices (A2) and the live check of the setup (A3, D3, D4). They work on the same encrypted store as the worker
 * and the shim (CALLMATRIX_DATA_DIR, CALLMATRIX_ENCRYPTION_KEY), so a running deployment picks changes up at once.
 */
import readline from 'node:readline/promises';
import { Client, type Connection } from '@temporalio/client';
import { Command, Option } from 'commander';
import {
  activateWithCode,
  ActivationError,
  chooseSeniorManager,
  createMissingFields,
  describeFieldCreations,
  describeFieldsToCreate,
  diagnose,
  fieldsToCreate,
  formatSuggestions,
  formatWarnings,
  suggestions,
  warnings,
  effectiveSettings,
  formatProblems,
  gatherDoctorFacts,
  integrationHealth,
  mapEmployee,
  type ActivationStore,
  type DoctorFacts,
} from '../activation';
import { startReactivation } from '../temporal/reactivation';
import { ConfigError, UsageError } from '../config/config-error';
import { loadEnvironment } from '../config/environment';
import { loadSettingsFile } from '../config/load-settings';
import { chooseSettingsFile, NO_SETTINGS_FILE } from '../config/settings-file';
import { createLogger, logFormat } from '../config/logger';
import type { Settings } from '../matrix/settings-schema';
import { ACCOUNTS_SERVERS, createZohoClient, ZohoError, type DataCentre, type ZohoClient } from '../zoho';
import { cliSecrets } from './local-secrets';
import { configuredCallLog } from '../app/call-log';
import { dataConverterFor, openSharedActivationStore } from '../app/shared-resources';
import { environmentCredentials } from './zoho-credentials';
import { terminalText } from './terminal-text';
import { connectTemporal } from '../app/temporal-connection';
import { temporalConnection } from '../config/temporal-connection';
import { readDeploymentFacts } from '../temporal/deployment-facts';

/** What the commands work on; tests give their own. */
export interface ActivationCliContext {
  store: ActivationStore;
  zoho: ZohoClient;
  /** The settings file's settings; undefined when there is none. */
  fileSettings(): Settings | undefined;
  /** ZOHO_ACCOUNTS_URL. */
  accountsUrlOverride?: string;
  /** Whether RINGOSTAT_API_KEY configures the call log, as the worker reads it: reconciliation (L1) is off without. */
  callLogConfigured: boolean;
  /** Starts the re-activation workflow that resumes the suspended calls. */
  reactivate(resend: boolean): Promise<{ workflowId: string }>;
  /** What Temporal knows of the deployment, for the doctor; without it the doctor does not judge the deployment. */
  deployment?(): Promise<DoctorFacts['deployment']>;
  print(text: string): void;
  printError(text: string): void;
  /** Asks the admin a yes/no question; false when nobody can answer (no terminal). */
  confirm(question: string): Promise<boolean>;
  /** Reads a line for `--client-secret -`; default: the first line of standard input. */
  readLine?(): Promise<string>;
  close(): Promise<void>;
}

export async function activationCliContext(): Promise<ActivationCliContext> {
  const env = loadEnvironment();
  const secrets = cliSecrets(env);
  const logger = createLogger('warn', logFormat(env.LOG_FORMAT));
  const store = await openSharedActivationStore(env, secrets, environmentCredentials(env), logger);
  const choice = chooseSettingsFile({ variable: env.CALLMATRIX_SETTINGS, dataDir: env.dataDir });
  if (choice?.note) process.stderr.write(`callmatrix: ${choice.note}\n`);
  let connection: Connection | undefined;
  const temporalClient = async () => {
    connection ??= await connectTemporal(temporalConnection(env));
    return new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(secrets) });
  };
  return {
    store,
    zoho: createZohoClient({ credentials: store, edition: env.ZOHO_EDITION, logger }),
    fileSettings: () => (choice ? loadSettingsFile(choice.file) : undefined),
    accountsUrlOverride: env.ZOHO_ACCOUNTS_URL,
    callLogConfigured: configuredCallLog(env) !== undefined,
    reactivate: async (resend) => startReactivation(await temporalClient(), store, { taskQueue: env.CALLMATRIX_TASK_QUEUE, resend }),
    async deployment() {
      try {
        return await readDeploymentFacts(await temporalClient(), env.CALLMATRIX_TASK_QUEUE);
      } catch (error) {
        return { temporalError: error instanceof Error ? error.message : String(error) };
      }
    },
    // Names and ids from Zoho may hold control characters: shown escaped, never sent to the terminal as such.
    print: (text) => process.stdout.write(terminalText(text)),
    printError: (text) => process.stderr.write(terminalText(text)),
    confirm: askOnTerminal,
    close: async () => connection?.close(),
  };
}

async function askOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    process.stdout.write(`${question}no terminal to answer on: run again with --yes to go ahead.\n`);
    return false;
  }
  const terminal = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await terminal.question(question)).trim());
  } finally {
    terminal.close();
  }
}

/** Reads one line from standard input: a secret piped in stays out of the process list and the shell's history. */
async function readFirstLine(): Promise<string> {
  const input = readline.createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of input) return line;
    return '';
  } finally {
    input.close();
  }
}

/** A4: shows the missing fields, asks (unless --yes), creates them; returns the facts read again afterwards. */
async function fixFields(ctx: ActivationCliContext, settings: Settings, facts: DoctorFacts, yes: boolean): Promise<DoctorFacts> {
  const fields = fieldsToCreate(facts);
  ctx.print(describeFieldsToCreate(facts, fields));
  if (fields.length === 0) return facts;
  if (!yes && !(await ctx.confirm('Create them? [y/N] '))) {
    ctx.print('Nothing created.\n');
    return facts;
  }
  ctx.print(describeFieldCreations(await createMissingFields(ctx.zoho, fields, facts.grantedScopes)));
  return gatherDoctorFacts(ctx.zoho, ctx.store, settings, { callLogConfigured: ctx.callLogConfigured, deployment: facts.deployment });
}

function requireSettings(ctx: ActivationCliContext): Settings {
  const settings = ctx.fileSettings();
  if (!settings) throw new ConfigError(NO_SETTINGS_FILE);
  return settings;
}

async function resume(ctx: ActivationCliContext, resend: boolean): Promise<void> {
  try {
    const { workflowId } = await ctx.reactivate(resend);
    ctx.print(`Suspended calls are being resumed (${resend ? 'sending' : 'not sending'} data to the CRM); follow workflow ${workflowId} in the Temporal UI.\n`);
  } catch (error) {
    throw new ActivationError(
      `Zoho CRM is connected, but the suspended calls could not be resumed (${(error as Error).message}); ` +
        `once Temporal is reachable run \`callmatrix activate resume --${resend ? '' : 'no-'}resend\``,
    );
  }
}

/** Commander leaves the flag undefined when neither --resend nor --no-resend is given: the admin must choose. */
function resendChoice(resend: boolean | undefined): boolean {
  if (resend === undefined) {
    throw new UsageError('choose --resend (write the calls kept while the integration was broken, within the resend window) or --no-resend (discard them)');
  }
  return resend;
}

const resendOptions = (command: Command): Command =>
  command
    .addOption(new Option('--resend', 'send data to the CRM after re-activation: write the suspended calls of the resend window'))
    .addOption(new Option('--no-resend', 'do not send: suspended calls end as discarded (still listed by `callmatrix calls`)'));

export function registerActivationCommands(program: Command, context: () => Promise<ActivationCliContext> = activationCliContext): void {
  const withContext =
    <A extends unknown[]>(action: (ctx: ActivationCliContext, ...args: A) => Promise<void>) =>
    async (...args: A) => {
      const ctx = await context();
      try {
        await action(ctx, ...args);
      } catch (error) {
        // What the admin can act on is said in one line; usage and configuration errors and the unexpected go to main.ts.
        if (!(error instanceof ActivationError || error instanceof ZohoError)) throw error;
        ctx.printError(`callmatrix: ${error.message}\n`);
        process.exitCode = 1;
      } finally {
        await ctx.close();
      }
    };

  const activate = resendOptions(
    program
      .command('activate')
      .description('Connect Zoho CRM with a self-client grant code (servers without a browser), then resume suspended calls (A1, R2).')
      // Required, but checked in the action: commander would demand them of the subcommands too.
      .addOption(new Option('--dc <dc>', 'Zoho data centre of your account (required)').choices(Object.keys(ACCOUNTS_SERVERS)))
      .option('--client-id <id>', 'self client id (Zoho API console › Self Client › Client Secret tab) (required)')
      .option('--client-secret <secret>', 'self client secret, or - to read it from standard input (required)')
      .option('--code <grant code>', 'grant code generated in the API console with the scopes in the README; works once, 3 minutes (required)')
      .option('--accounts-url <url>', 'accounts server to use instead of the data centre’s (default ZOHO_ACCOUNTS_URL)'),
  ).action(
    withContext(async (ctx, options: { dc?: DataCentre; clientId?: string; clientSecret?: string; code?: string; accountsUrl?: string; resend?: boolean }) => {
      const { dc, clientId, code } = options;
      const clientSecret = options.clientSecret === '-' ? (await (ctx.readLine ?? readFirstLine)()).trim() : options.clientSecret;
      if (!dc || !clientId || !clientSecret || !code) {
        const missing = Object.entries({ '--dc': dc, '--client-id': clientId, '--client-secret': clientSecret, '--code': code }).filter(([, value]) => !value);
        throw new UsageError(`activate: ${missing.map(([name]) => name).join(', ')} required`);
      }
      const resend = resendChoice(options.resend);
      const { connection, missingScopes } = await activateWithCode(ctx.store, {
        dc,
        clientId,
        clientSecret,
        accountsUrl: options.accountsUrl ?? ctx.accountsUrlOverride,
        code,
        via: 'grant-code',
      });
      ctx.print(`Zoho CRM connected (data centre ${connection.dc}, API ${connection.apiDomain}).\n`);
      if (missingScopes.length) ctx.print(`Warning: the grant lacks the scopes ${missingScopes.join(', ')}; generate a new code with them and activate again.\n`);
      await resume(ctx, resend);
      ctx.print('Next: `callmatrix users`, then `callmatrix activate senior <user id>` and `callmatrix activate map <employee code> <user id>`.\n');
    }),
  );

  resendOptions(activate.command('resume').description('Resume the suspended calls again, e.g. when Temporal was unreachable during activation (R2, R3).')).action(
    withContext(async (ctx, options: { resend?: boolean }) => resume(ctx, resendChoice(options.resend))),
  );

  activate
    .command('senior')
    .argument('<user id>', 'Zoho user id (see `callmatrix users`)')
    .description('Choose the senior manager (A2); applies to new calls at once.')
    .action(
      withContext(async (ctx, userId: string) => {
        const user = await chooseSeniorManager(ctx.store, await ctx.zoho.listUsers('AllUsers'), userId);
        ctx.print(`Senior manager: ${user.full_name} (${user.id}).\n`);
      }),
    );

  activate
    .command('map')
    .argument('<employee code>', "the employee's code in the settings file")
    .argument('[user id]', 'Zoho user id (see `callmatrix users`)')
    .option('--remove', "remove the activation's mapping (the settings file's zohoUserId applies again, if any)")
    .description('Map an employee of the settings file to a Zoho user (A2); applies to new calls at once.')
    .action(
      withContext(async (ctx, code: string, userId: string | undefined, options: { remove?: boolean }) => {
        if (!userId && !options.remove) throw new UsageError('give the Zoho user id, or --remove');
        const settings = requireSettings(ctx);
        const users = options.remove ? [] : await ctx.zoho.listUsers('AllUsers');
        const user = await mapEmployee(ctx.store, users, settings, code, options.remove ? undefined : userId);
        ctx.print(user ? `Employee ${code} → ${user.full_name} (${user.id}).\n` : `Employee ${code}: activation mapping removed.\n`);
      }),
    );

  program
    .command('users')
    .description('List the Zoho CRM users, marking the senior manager and the employees mapped to each (A2).')
    .action(
      withContext(async (ctx) => {
        const file = ctx.fileSettings();
        const settings = file && effectiveSettings(file, ctx.store);
        const users = await ctx.zoho.listUsers('AllUsers');
        const rows = users.map((u) => {
          const roles = [
            settings?.seniorManager?.zohoUserId === u.id ? 'senior manager' : undefined,
            ...(settings?.employees ?? []).filter((e) => e.zohoUserId === u.id).map((e) => `employee ${e.code}`),
          ].filter(Boolean);
          return [u.id, u.full_name, u.email, u.status, roles.join(', ')].join('\t');
        });
        ctx.print(['id\tname\temail\tstatus\tin callmatrix', ...rows].join('\n') + '\n');
      }),
    );

  program
    .command('doctor')
    .description('Check the live setup (authorisation, scopes, users, A3 fields, D3 mappings, D4 pipelines, L1 reconciliation, workers); exit 1 on problems.')
    .option('--fix', 'create the missing String fields (the rs_* fields on Leads, mapping targets) through Zoho’s Fields API, after asking (A4)')
    .option('--yes', 'with --fix: create without asking')
    .action(
      withContext(async (ctx, options: { fix?: boolean; yes?: boolean }) => {
        const settings = requireSettings(ctx);
        // Temporal and Zoho are asked at once: each may take seconds to say it cannot be reached.
        const [deployment, crm] = await Promise.all([ctx.deployment?.(), gatherDoctorFacts(ctx.zoho, ctx.store, settings, { callLogConfigured: ctx.callLogConfigured })]);
        const found = { ...crm, deployment };
        const facts = options.fix ? await fixFields(ctx, settings, found, options.yes ?? false) : found;
        const problems = diagnose(facts);
        // "connected" means an authorisation is stored; say so when Zoho did not answer with it.
        const status = integrationHealth(ctx.store).status;
        const reached = facts.zohoError ? ' (authorisation stored), but Zoho CRM could not be reached' : '';
        ctx.print(`Integration: ${status}${reached}\n${formatProblems(problems)}${formatWarnings(warnings(facts))}${formatSuggestions(suggestions(facts))}`);
        if (problems.length) process.exitCode = 1;
      }),
    );
}
