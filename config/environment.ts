/**
 * Settings that come from the environment: addresses, ports and secrets (twelve-factor). Every variable is
 * documented here and in the README's configuration reference; a test keeps the two and docker-compose.yml in step.
 */
import path from 'node:path';
import { z } from 'zod';
import { credentialUrlProblem } from '../common/credential-url';
import { ConfigError, describeIssues, PLAIN_WORDS } from './config-error';
import { parseEncryptionKey } from '../temporal/encryption-codec';

const DATA_CENTRES = ['us', 'eu', 'in', 'au', 'jp', 'ca', 'sa', 'cn'] as const;
const EDITIONS = ['free', 'standard', 'professional', 'enterprise', 'ultimate'] as const;

const port = z.coerce.number().int().min(1).max(65535);
const optionalText = z.string().trim().min(1).optional();
/** A `true`/`false` variable, read as a boolean. */
const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((value) => value === 'true');
const KEY_FORMAT = 'expected `<key id>:<base64 of 32 bytes>`, e.g. the output of: echo "k1:$(openssl rand -base64 32)"';
const isEncryptionKey = (text: string) => {
  try {
    parseEncryptionKey(text);
    return true;
  } catch {
    return false;
  }
};

/** An absolute http(s) URL, as people open it or are sent to it; `example` shows the form wanted. */
const httpUrl = (example: string) =>
  optionalText.refine((url) => url === undefined || /^https?:$/.test(URL.parse(url)?.protocol ?? ''), `expected an http(s) URL such as ${example}`);

/**
 * Comma-separated origins, compared as they are with a browser's `Origin` header, which never has a path or a
 * trailing slash: an entry with either would match no browser, and the Temporal UI would silently show nothing.
 */
const origins = (list: string | undefined, context: z.RefinementCtx) => {
  for (const entry of (list ?? '').split(',').map((origin) => origin.trim()).filter(Boolean)) {
    if (URL.parse(entry)?.origin === entry) continue;
    context.addIssue({
      code: 'custom',
      message: `${entry} is not an origin: expected scheme, host and port only, such as http://localhost:8080 (no path, no trailing /), comma-separated`,
    });
  }
};

/** A URL that is sent a credential: https, or http on loopback (common/credential-url.ts). */
const noCredentialExposed = (url: string | undefined, context: z.RefinementCtx) => {
  const problem = url === undefined ? undefined : credentialUrlProblem(url);
  if (problem) context.addIssue({ code: 'custom', message: problem });
};

export const environmentSchema = z.object({
  TEMPORAL_ADDRESS: optionalText
    .refine((address) => address === undefined || /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):\d{1,5}$/.test(address), 'expected host:port, such as temporal.internal:7233')
    .describe('host:port of an existing Temporal cluster. Unset: `npm start` runs the embedded dev server.'),
  TEMPORAL_TLS: flag('false')
    .describe('true: connect to TEMPORAL_ADDRESS over TLS (implied by the other TEMPORAL_TLS_* variables and TEMPORAL_API_KEY).'),
  TEMPORAL_TLS_CA_FILE: optionalText.describe("PEM file of the CA that signed the Temporal cluster's certificate (default: the system's CAs)."),
  TEMPORAL_TLS_CERT_FILE: optionalText.describe('PEM file of the client certificate for mTLS; with TEMPORAL_TLS_KEY_FILE.'),
  TEMPORAL_TLS_KEY_FILE: optionalText.describe('PEM file of the client certificate\'s private key for mTLS.'),
  TEMPORAL_TLS_SERVER_NAME: optionalText.describe("Server name to verify in the cluster's certificate, when it differs from TEMPORAL_ADDRESS's host."),
  TEMPORAL_API_KEY: optionalText.describe('API key sent to the Temporal cluster (Temporal Cloud, or a proxy that checks keys).'),
  TEMPORAL_NAMESPACE: z.string().trim().min(1).default('default').describe('Temporal namespace of the call workflows.'),
  CALLMATRIX_DATA_DIR: z.string().trim().min(1).default('.callmatrix').describe(
    'Folder for local state: the embedded Temporal database, generated demo secrets, the demo settings file.',
  ),
  CALLMATRIX_SETTINGS: optionalText.describe(
    'Path of the settings file (YAML or JSON): employees, senior manager, mappings, rules. ' +
      'Unset: `callmatrix.yaml` in the working directory if present, else the demo settings.',
  ),
  CALLMATRIX_HOST: z.string().trim().min(1).default('127.0.0.1').describe('Interface the webhook shim (and the worker\'s health port) listens on. Metrics: CALLMATRIX_METRICS_HOST.'),
  CALLMATRIX_PORT: port.default(3000).describe('Port of the webhook shim.'),
  CALLMATRIX_WORKER_HEALTH_PORT: port.optional().describe(
    'Port of the worker\'s health endpoints (/healthz, /readyz, /healthz/integration), on CALLMATRIX_HOST. Unset: none.',
  ),
  CALLMATRIX_PUBLIC_URL: httpUrl('https://callmatrix.example.com').describe(
    'URL the telephony reaches the shim at, used in printed webhook URLs. Default http://<host>:<port>.',
  ),
  CALLMATRIX_TRUST_PROXY: flag('false')
    .describe(
      'true when the shim is reached through a reverse proxy that sets X-Forwarded-Proto and X-Forwarded-For: cookies are then Secure when the proxy says https, and limits count per forwarded client address (the right-most X-Forwarded-For value: the one the proxy added).',
    ),
  CALLMATRIX_ROUTING_LOOKUPS_PER_MINUTE: z.coerce.number().int().min(0).default(30).describe(
    'Smart-routing requests with a caller number each source address may make per minute; past it the answer is "continue" without asking Zoho. 0: no limit.',
  ),
  CALLMATRIX_WEBHOOK_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe('Shared secret the telephony puts in the webhook URL (`?secret=`). `npm start` generates one if unset.'),
  CALLMATRIX_ADMIN_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .optional()
    .describe('Token that opens the activation pages (`/activation`) of the webhook shim. Unset: the pages are off.'),
  CALLMATRIX_ENCRYPTION_KEY: optionalText.refine((v) => v === undefined || isEncryptionKey(v), KEY_FORMAT).describe(
    'Key that encrypts call data in Temporal: `<key id>:<base64 of 32 random bytes>`. `npm start` generates one if unset.',
  ),
  CALLMATRIX_ENCRYPTION_KEYS_PREVIOUS: optionalText
    .refine((v) => v === undefined || v.split(',').map((k) => k.trim()).filter(Boolean).every(isEncryptionKey), `every key: ${KEY_FORMAT}`)
    .describe(
    'Comma-separated earlier keys, same format, still accepted for reading after a rotation.',
  ),
  CALLMATRIX_CODEC_PORT: port.optional().describe(
    'Port of the codec server, a listener of its own that decrypts call data for the Temporal UI. Unset: off (`npm start`: 3001).',
  ),
  CALLMATRIX_CODEC_HOST: z.string().trim().min(1).default('127.0.0.1').describe('Interface the codec server listens on.'),
  CALLMATRIX_CODEC_TOKEN: z
    .string()
    .min(24, 'must be at least 24 characters')
    .regex(/^[\w.~-]+$/, 'must be URL-safe: letters, digits, and - _ . ~ only')
    .optional()
    .describe('Credential of the codec server: the UI\'s endpoint is `<codec URL>/<token>`, or clients send `Authorization: Bearer <token>`. Required with CALLMATRIX_CODEC_PORT.'),
  CALLMATRIX_CODEC_ORIGIN: optionalText.superRefine(origins).describe(
    'Comma-separated origins of the Temporal UIs whose browsers may use the codec server (CORS), e.g. http://localhost:8080. `npm start` sets the embedded UI.',
  ),
  CALLMATRIX_TEMPORAL_DEADLINE_MS: z.coerce.number().int().min(100).max(60_000).default(5_000).describe(
    'How long a webhook waits for Temporal to accept its event, in milliseconds, before it is answered 503 (retry ' +
      'later). Keep it below the telephony\'s own timeout.',
  ),
  CALLMATRIX_TASK_QUEUE: z.string().trim().min(1).default('callmatrix-calls').describe(
    'Temporal task queue shared by the webhook shim and the workers.',
  ),
  CALLMATRIX_WORKER_CPU_TARGET: z.coerce.number().min(0.1).max(1).optional().describe(
    "Share of the host's CPU (0.1–1) above which the worker takes no new call work until usage drops. For a host " +
      'shared with the webhook shim or Temporal: webhooks stay fast under bursts, the backlog is written as CPU ' +
      'frees up. Unset: the worker works at full speed.',
  ),
  CALLMATRIX_METRICS_HOST: z.string().trim().min(1).default('127.0.0.1').describe(
    'Interface the Prometheus endpoints (`/metrics`) of the webhook shim and the worker listen on. Keep it internal: ' +
      'metrics tell call volumes and error rates. docker-compose: 0.0.0.0 inside the containers, not published.',
  ),
  CALLMATRIX_METRICS_PORT: port.default(9465).describe(
    "Port of the webhook shim's Prometheus endpoint (`/metrics`, on CALLMATRIX_METRICS_HOST), a listener of its own: the " +
      "shim's port (CALLMATRIX_PORT) does not serve metrics. `npm start` serves the whole process's there, the Temporal SDK's included. " +
      'Also the operator\'s `/healthz/integration`, with why the integration broke and since when.',
  ),
  CALLMATRIX_WORKER_METRICS_PORT: port.default(9464).describe(
    "Port of the `worker` command's Prometheus endpoint (`/metrics`, on CALLMATRIX_METRICS_HOST): callmatrix's metrics and the " +
      "Temporal SDK's; and the operator's `/healthz/integration`, with why the integration broke and since when.",
  ),
  ZOHO_DC: z.enum(DATA_CENTRES).default('us').describe('Zoho data centre of the CRM organisation.'),
  ZOHO_CLIENT_ID: optionalText.describe('OAuth client id (Zoho API console). Unset: the bundled emulator is used.'),
  ZOHO_CLIENT_SECRET: optionalText.describe('OAuth client secret.'),
  ZOHO_REFRESH_TOKEN: optionalText.describe('Refresh token from activation (A1).'),
  ZOHO_ACCOUNTS_URL: optionalText
    .superRefine(noCredentialExposed)
    .describe(
      "Overrides the data centre's accounts server, for the emulator or a sandbox: the only way callmatrix talks to a server that is not Zoho's own. https, or http on loopback.",
    ),
  ZOHO_EDITION: z.enum(EDITIONS).default('professional').describe(
    "Zoho CRM edition: sets the API concurrency callmatrix keeps under (5/10/15/20/25).",
  ),
  RINGOSTAT_API_KEY: optionalText.describe(
    'Ringostat API key (Integration → Ringostat API), for reconciliation and `callmatrix backfill` (L1). Read by the ' +
      'worker and the CLI only; it never reaches Temporal or the logs. Unset: reconciliation is off.',
  ),
  RINGOSTAT_API_URL: z.string().trim().min(1).default('https://api.ringostat.net').superRefine(noCredentialExposed).describe(
    "Base URL of Ringostat's API (the call log is `<url>/calls/list`), which is sent the API key: https, or http on loopback (the tests' Ringostat emulator).",
  ),
  CALLMATRIX_ZOHO_COMPOSITE: flag('true')
    .describe(
      "true: when the activation granted ZohoCRM.composite_requests.CUSTOM, look the caller up in one composite request (its three COQL queries), write a call's records in composite requests (up to 5 per request, one transaction) and check a retry's idempotency markers in one; false: one Zoho request per query and per record.",
    ),
  CALLMATRIX_EMULATOR_PORT: port.default(3100).describe('Port of the bundled Zoho CRM emulator (demo mode).'),
  TEMPORAL_UI_PORT: port.default(8233).describe('Port of the embedded Temporal Web UI.'),
  TEMPORAL_UI_URL: httpUrl('http://localhost:8080').describe(
    'Address of the Temporal UI people open (e.g. http://localhost:8080), for the links `callmatrix calls show` prints. ' +
      'Unset: the embedded UI when TEMPORAL_ADDRESS is unset, else no link.',
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info').describe('Log level.'),
  LOG_FORMAT: z.enum(['pretty', 'json']).optional().describe(
    'Log lines as `json` (one object a line, for log collectors) or `pretty` (readable). Unset: pretty when stdout is a terminal, else json.',
  ),
});

export type Environment = z.infer<typeof environmentSchema> & { dataDir: string };

export function loadEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const relevant = Object.fromEntries(
    Object.keys(environmentSchema.shape).map((name) => [name, env[name] === '' ? undefined : env[name]]),
  );
  const parsed = environmentSchema.safeParse(relevant, { error: PLAIN_WORDS });
  const problems = [
    ...(parsed.success ? [] : [describeIssues(parsed.error.issues, (variable) => `environment variable ${variable}`)]),
    ...togetherProblems(relevant),
    ...ownListenerProblems(relevant),
  ];
  if (problems.length || !parsed.success) throw new ConfigError(problems.join('\n'));
  return { ...parsed.data, dataDir: path.resolve(parsed.data.CALLMATRIX_DATA_DIR) };
}

/** Servers with a listener of their own, away from the public webhook port (CALLMATRIX_PORT). */
const OWN_LISTENERS: Array<{ name: string; what: string }> = [
  { name: 'CALLMATRIX_CODEC_PORT', what: 'the codec server' },
  { name: 'CALLMATRIX_METRICS_PORT', what: "the shim's metrics" },
];

function ownListenerProblems(values: Record<string, string | undefined>): string[] {
  const shimPort = values.CALLMATRIX_PORT ?? '3000';
  return OWN_LISTENERS.filter(({ name }) => values[name] === shimPort).map(
    ({ name, what }) => `environment variables ${name} and CALLMATRIX_PORT must differ: ${what} has a listener of its own`,
  );
}

/** Variables that only mean something together. */
const TOGETHER: Array<{ names: string[]; why: string }> = [
  { names: ['ZOHO_CLIENT_ID', 'ZOHO_CLIENT_SECRET', 'ZOHO_REFRESH_TOKEN'], why: 'set all three, or none to use the emulator or the activation' },
];

function togetherProblems(values: Record<string, string | undefined>): string[] {
  return TOGETHER.filter(({ names }) => names.some((n) => values[n]) && !names.every((n) => values[n])).map(
    ({ names, why }) => `environment variables ${names.join(', ')} go together: ${why}.`,
  );
}

/** Where the telephony (and the Temporal UI's codec client) reach the webhook shim. */
export function publicUrl(env: Environment): string {
  return env.CALLMATRIX_PUBLIC_URL ?? `http://${env.CALLMATRIX_HOST}:${env.CALLMATRIX_PORT}`;
}
