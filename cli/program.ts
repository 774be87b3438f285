/** The `callmatrix` commands, each with its `--help`; main.ts runs the one asked for. */
import type { Command } from 'commander';
import { z } from 'zod';
import { ConfigError } from '../config/config-error';
import { checkSettings, readSettingsText } from '../config/load-settings';
import { chooseSettingsFile, NO_SETTINGS_FILE } from '../config/settings-file';
import { temporalConnection } from '../config/temporal-connection';
import { CallmatrixCommand } from './callmatrix-command';
import { registerActivationCommands } from './activation-commands';
import { registerBackfillCommand } from './backfill-command';
import { registerCallsCommand } from './calls-command';
import { registerDryRun } from './dry-run';
import { loadEnvironment } from '../config/environment';
import { createLogger, logFormat } from '../config/logger';
import { settingsSchema } from '../matrix/settings-schema';
import { requiredSecrets } from './local-secrets';
import { openAppContext, serveWorkerMetrics, startHttpServer, startWorker, withTemporalConnection, type AppContext } from '../app';
import { environmentCredentials } from './zoho-credentials';
import { installTemporalRuntime, temporalLogLevel } from '../worker/runtime-logger';
import { ensureSearchAttributes } from '../temporal/search-attributes';
import { runStart } from './start';

/**
 * Production processes: Temporal and the settings must be configured; nothing is started on their behalf. Zoho
 * credentials come from the activation store (seeded from ZOHO_* variables when it is empty).
 */
async function productionContext(role: 'worker' | 'webhook'): Promise<AppContext> {
  const env = loadEnvironment();
  if (!env.TEMPORAL_ADDRESS) throw new ConfigError('environment variable TEMPORAL_ADDRESS: required (host:port of the Temporal frontend)');
  if (!env.CALLMATRIX_SETTINGS) throw new ConfigError('environment variable CALLMATRIX_SETTINGS: required (path of the settings file)');
  return openAppContext({
    env,
    temporalAddress: env.TEMPORAL_ADDRESS,
    secrets: requiredSecrets(env, { webhook: role === 'webhook' }),
    settingsFile: env.CALLMATRIX_SETTINGS,
    seed: environmentCredentials(env),
    logger: createLogger(env.LOG_LEVEL, logFormat(env.LOG_FORMAT)),
  });
}

export function callmatrixProgram(): Command {
  const program = new CallmatrixCommand('callmatrix')
    .enablePositionalOptions()
    .description('Telephony call events into the right Zoho CRM records, durably, on Temporal.');

  program
    .command('start')
    .description('Run everything locally: Temporal dev server + UI, Zoho emulator (without ZOHO_*), worker and webhook shim.')
    .action(async () => runStart(loadEnvironment()));

  program
    .command('worker')
    .description('Run a worker of the call workflows (production: connects to TEMPORAL_ADDRESS).')
    .option('--workflow-bundle <file>', 'prebuilt workflow bundle (the Docker image has one)')
    .action(async (options: { workflowBundle?: string }) => {
      const ctx = await productionContext('worker');
      await installTemporalRuntime(ctx.logger, { level: temporalLogLevel(ctx.env.LOG_LEVEL), metrics: ctx.metrics });
      const added = await withTemporalConnection(ctx, (connection) => ensureSearchAttributes(connection, ctx.env.TEMPORAL_NAMESPACE));
      if (added.length) ctx.logger.info({ added }, 'search attributes registered');
      // The SDK drains and stops the worker on SIGINT/SIGTERM itself.
      const { running } = await startWorker(ctx, { workflowBundlePath: options.workflowBundle });
      const metricsListener = await serveWorkerMetrics(ctx);
      await running.finally(() => metricsListener.close());
    });

  program
    .command('webhook')
    .description('Run the webhook shim (production: connects to TEMPORAL_ADDRESS).')
    .action(async () => {
      const webhook = await startHttpServer(await productionContext('webhook'));
      const stop = () => void webhook.close();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });

  const config = program.command('config').description('Check or describe the configuration.');
  config
    .command('check')
    .argument('[file]', 'settings file (default CALLMATRIX_SETTINGS, else callmatrix.yaml, else the demo settings of npm start)')
    .description('Validate the environment and a settings file; print every problem, with its variable, or its line and field.')
    .action((named: string | undefined) => {
      const problems: string[] = [];
      const collect = (check: () => void) => {
        try {
          check();
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          problems.push(...error.message.split('\n'));
        }
      };
      let env: ReturnType<typeof loadEnvironment> | undefined;
      collect(() => {
        env = loadEnvironment();
      });
      // The TLS files must be readable by whoever connects to Temporal.
      if (env) collect(() => temporalConnection(env!));
      const choice = chooseSettingsFile({ named, variable: process.env.CALLMATRIX_SETTINGS || undefined, dataDir: env?.dataDir ?? '.callmatrix' });
      if (!choice) problems.push(NO_SETTINGS_FILE);
      if (choice?.note) process.stdout.write(`${choice.note}\n`);
      if (choice) collect(() => problems.push(...checkSettings(readSettingsText(choice.file), choice.file).problems));
      if (problems.length) {
        throw new ConfigError(`${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.join('\n')}`);
      }
      process.stdout.write(`environment: valid\n${choice!.file}: valid\n`);
    });
  config
    .command('schema')
    .description('Print the JSON Schema of the settings file (for editor completion and validation).')
    .action(() => {
      process.stdout.write(JSON.stringify(z.toJSONSchema(settingsSchema, { io: 'input' }), null, 2) + '\n');
    });

  registerActivationCommands(program);
  registerCallsCommand(program);
  registerBackfillCommand(program);
  registerDryRun(program);
  return program;
}
