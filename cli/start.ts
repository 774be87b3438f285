/**
 * `npm start`: everything on this machine. The Temporal dev server with its Web UI (unless TEMPORAL_ADDRESS names
 * a cluster), the bundled Zoho CRM emulator (unless ZOHO_* credentials are set), a worker and the webhook shim,
 * in one process tree that Ctrl-C stops cleanly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/config-error';
import { type Environment } from '../config/environment';
import { codecUiEndpoint } from '../http/codec-server';
import { createLogger, logFormat } from '../config/logger';
import { createMetrics } from '../observability/metrics';
import { installTemporalRuntime, temporalLogLevel } from '../worker/runtime-logger';
import { createZohoClient } from '../zoho';
import { startDemoCrm, writeDemoSettings } from './demo';
import { localSecrets } from './local-secrets';
import { openAppContext, startHttpServer, startWorker } from '../app';
import { startDevServer } from './temporal-dev-server';
import { ensurePortsFree, type PortUse } from './ports';
import { diagnose, formatProblems, gatherDoctorFacts } from '../activation';
import { configuredCallLog } from '../app/call-log';
import { LOCAL_TEMPORAL_ADDRESS } from '../app/temporal-connection';
import { environmentCredentials } from './zoho-credentials';

const EMBEDDED_TEMPORAL_PORT = Number(LOCAL_TEMPORAL_ADDRESS.split(':')[1]);
/** The codec server's port under `npm start` when CALLMATRIX_CODEC_PORT is unset: on, for the embedded UI. */
const DEMO_CODEC_PORT = 3001;
/** The demo CRM's records, in the data directory. */
const DEMO_CRM_FILE = 'demo-crm.json';

export async function runStart(env: Environment): Promise<void> {
  const logger = createLogger(env.LOG_LEVEL, logFormat(env.LOG_FORMAT));
  // One process runs worker and shim: one registry, served on the shim's metrics listener with the SDK's metrics.
  const metrics = createMetrics();
  await installTemporalRuntime(logger, { level: temporalLogLevel(env.LOG_LEVEL), metrics });
  fs.mkdirSync(env.dataDir, { recursive: true });
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => logger.error({ err }, 'stopping failed'));
  };

  await ensurePortsFree(portsToListenOn(env));
  // Ctrl-C while starting: each step gives up at once (the dev server too, or it would outlive us), then the exit.
  const startup = new AbortController();
  const interrupt = () => startup.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const interrupted = new Promise<never>((_, reject) => startup.signal.addEventListener('abort', () => reject(new Error('interrupted')), { once: true }));
  interrupted.catch(() => undefined);
  const step = <T>(work: Promise<T>): Promise<T> => Promise.race([work, interrupted]);
  try {
    const secrets = localSecrets(env);
    const codecPort = env.CALLMATRIX_CODEC_PORT ?? DEMO_CODEC_PORT;
    let temporalAddress = env.TEMPORAL_ADDRESS;
    let temporalUi: string | undefined;
    if (!temporalAddress) {
      const server = await step(startDevServer({
        port: EMBEDDED_TEMPORAL_PORT,
        uiPort: env.TEMPORAL_UI_PORT,
        dbFile: path.join(env.dataDir, 'temporal.sqlite'),
        namespace: env.TEMPORAL_NAMESPACE,
        // The UI reads the encrypted call data through the codec server, the token in the endpoint's path.
        uiCodecEndpoint: codecUiEndpoint(env.CALLMATRIX_CODEC_HOST, codecPort, secrets.codecToken!),
        signal: startup.signal,
      }));
      stops.push(() => server.stop());
      temporalAddress = server.address;
      temporalUi = server.uiUrl;
    }

    // Without ZOHO_* variables, the demo CRM: the bundled emulator, authorised afresh on every start, its records
    // kept in the data directory.
    const demo = environmentCredentials(env) ? undefined : await step(startDemoCrm(env.CALLMATRIX_EMULATOR_PORT, path.join(env.dataDir, DEMO_CRM_FILE)));
    if (demo) stops.push(() => demo.emulator.close());

    const settingsFile = env.CALLMATRIX_SETTINGS ?? (fs.existsSync('callmatrix.yaml') ? 'callmatrix.yaml' : undefined);
    if (!settingsFile && !demo) {
      throw new ConfigError('no settings file: copy callmatrix.example.yaml to callmatrix.yaml (or set CALLMATRIX_SETTINGS)');
    }
    // Written on every demo start, also when the user has a settings file of their own: the banner can point at it.
    const demoSettings = demo
      ? await step(writeDemoSettings(createZohoClient({ credentials: { current: async () => demo.credentials }, edition: env.ZOHO_EDITION, logger }), env.dataDir))
      : undefined;
    const file = (settingsFile ?? demoSettings)!;
    const ctx = await step(openAppContext({ env, temporalAddress, secrets, settingsFile: file, seed: environmentCredentials(env), logger, metrics }));
    if (demo) await ctx.org.activation.connect({ ...demo.credentials, connectedAt: new Date().toISOString(), via: 'grant-code' });
    // The SDK shuts its workers down on SIGINT/SIGTERM by itself; only a failed start needs to ask.
    const setup: DemoSetup = { demo: Boolean(demo), file, demoSettings };
    // A mapping to a field the CRM lacks stops the worker (D3); against the demo CRM, say how to run the demo anyway.
    const worker = await step(
      startWorker(ctx).catch((error: unknown) => {
        const hint = demoHint(setup);
        throw error instanceof ConfigError && hint.length ? new ConfigError([error.message, ...hint].join('\n')) : error;
      }),
    );
    stops.push(() => worker.stop());
    const webhook = await step(
      startHttpServer(ctx, {
        codec: { port: codecPort, origins: temporalUi ? [temporalUi, temporalUi.replace('127.0.0.1', 'localhost')] : [] },
        accountsUrlOverride: demo?.credentials.accountsUrl,
      }),
    );
    stops.push(() => webhook.close());

    const { org } = ctx;
    // The demo CRM has no telephony behind it, so no call log to reconcile with (L1): that is not judged there.
    const callLogConfigured = demo ? undefined : configuredCallLog(env) !== undefined;
    const problems = diagnose(await step(gatherDoctorFacts(org.zoho, org.activation, org.fileSettings(), { callLogConfigured })));
    printBanner({
      webhookUrl: webhook.url,
      metricsUrl: webhook.metricsUrl,
      secret: secrets.webhookSecret,
      adminToken: secrets.adminToken,
      temporalUi,
      emulatorUrl: demo?.emulator.url,
      settingsFile: file,
      warnings: problems.length ? doctorWarnings(formatProblems(problems), setup) : undefined,
    });
  } catch (error) {
    await stopAll();
    if (startup.signal.aborted) {
      logger.info('stopped before it had started');
      process.exit(130);
    }
    throw error;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }

  await new Promise<void>((resolve) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      logger.info('stopping');
      void stopAll().then(resolve);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** A listener on an interface and port the environment sets. */
const listener = (host: string, port: number, what: string, portVariable: string): PortUse => ({ host, port, what, fix: `set ${portVariable} to a free port`, portVariable });

/** Every port `start` will listen on, with the variable that moves it. */
function portsToListenOn(env: Environment): PortUse[] {
  const uses: PortUse[] = [
    listener(env.CALLMATRIX_HOST, env.CALLMATRIX_PORT, 'the webhook shim', 'CALLMATRIX_PORT'),
    listener(env.CALLMATRIX_METRICS_HOST, env.CALLMATRIX_METRICS_PORT, 'the Prometheus metrics', 'CALLMATRIX_METRICS_PORT'),
    listener(env.CALLMATRIX_CODEC_HOST, env.CALLMATRIX_CODEC_PORT ?? DEMO_CODEC_PORT, 'the codec server for the Temporal UI', 'CALLMATRIX_CODEC_PORT'),
  ];
  if (env.CALLMATRIX_WORKER_HEALTH_PORT) {
    uses.push(listener(env.CALLMATRIX_HOST, env.CALLMATRIX_WORKER_HEALTH_PORT, "the worker's health endpoints", 'CALLMATRIX_WORKER_HEALTH_PORT'));
  }
  if (!environmentCredentials(env)) {
    uses.push(listener('127.0.0.1', env.CALLMATRIX_EMULATOR_PORT, 'the Zoho CRM emulator', 'CALLMATRIX_EMULATOR_PORT'));
  }
  if (!env.TEMPORAL_ADDRESS) {
    uses.push(
      { host: '127.0.0.1', port: EMBEDDED_TEMPORAL_PORT, what: 'the embedded Temporal server', fix: 'set TEMPORAL_ADDRESS to the Temporal server that holds it' },
      { host: '127.0.0.1', port: env.TEMPORAL_UI_PORT, what: 'the Temporal Web UI', fix: 'set TEMPORAL_UI_PORT to a free port' },
    );
  }
  return uses;
}

/**
 * The doctor's findings, printed with the banner, so a setup that cannot write calls says so before the first
 * call fails. With the demo CRM and a settings file of the user's own (a copied callmatrix.example.yaml), the
 * file's users are usually not the emulator's: say which settings work with the demo.
 */
interface DemoSetup {
  demo: boolean;
  file: string;
  demoSettings?: string;
}

/** When the user's own settings file runs against the demo CRM: what it is checked against, and how to run the demo as is. */
function demoHint(setup: DemoSetup): string[] {
  if (!setup.demo || setup.file === setup.demoSettings) return [];
  return [
    `The demo CRM (the Zoho emulator) has only its demo users and fields; ${setup.file} is checked against them.`,
    `To try the demo as is: choose the users on the Activation page (users), or run with CALLMATRIX_SETTINGS=${setup.demoSettings}` +
      ' (the generated demo settings); to use your own CRM, set ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN.',
  ];
}

function doctorWarnings(problems: string, setup: DemoSetup): string {
  return [`Warnings from \`callmatrix doctor\`: calls may fail or lose data until these are fixed.`, problems.trimEnd(), ...demoHint(setup)].join('\n');
}

function printBanner(info: {
  webhookUrl: string;
  metricsUrl: string;
  secret: string;
  adminToken?: string;
  temporalUi?: string;
  emulatorUrl?: string;
  settingsFile: string;
  warnings?: string;
}) {
  const callId = `demo-${Date.now()}`;
  // A number the demo CRM does not know yet, so the call is a new client's (M1, M2).
  const caller = `+38067${String(Date.now()).slice(-7)}`;
  const sample =
    `curl -s -X POST '${info.webhookUrl}/webhooks/ringostat?event=end&secret=${info.secret}' \\\n` +
    `  -H 'content-type: application/json' \\\n` +
    `  -d '{"uniqueid":"${callId}","call_type":"in","caller":"${caller}","dst":"+380442000000",` +
    `"disposition":"ANSWERED","billsec":"42","duration":"50","connected_with":"101",` +
    `"recording":"https://example.com/recordings/${callId}.mp3","utm_source":"google","utm_medium":"cpc","utm_campaign":"spring"}'`;
  const lines = [
    '',
    'callmatrix is running',
    `  Webhook shim   ${info.webhookUrl}/webhooks/ringostat?event=<start|answer|end>&secret=${info.secret}`,
    info.adminToken && `  Activation     ${info.webhookUrl}/activation  (admin token: ${info.adminToken})`,
    info.temporalUi && `  Temporal UI    ${info.temporalUi}`,
    info.emulatorUrl && `  Zoho emulator  ${info.emulatorUrl}  (records: ${info.emulatorUrl}/__emulator/records/Leads)`,
    `  Metrics        ${info.metricsUrl}`,
    `  Settings       ${info.settingsFile}`,
    '',
    'Send a sample answered call from a new client:',
    sample,
    '',
    'Ctrl-C stops everything.',
    '',
    info.warnings && `${info.warnings}\n`,
  ].filter((line): line is string => line !== undefined);
  process.stdout.write(lines.join('\n') + '\n');
}
