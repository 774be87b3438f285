/**
 * Errors a person can act on (issue 12, item 4): the `callmatrix` command run as a user runs it, in a child
 * process. Each mistake or outage is said in words naming the variable, port, address or file to fix, never with a
 * stack trace.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { portToListenOn } from '../support/listen-ports';
import { generateEncryptionKey } from '../../temporal/encryption-codec';
import { useCallmatrixCli } from '../support/callmatrix-cli';
import { useRefusedPorts } from '../support/refused-ports';

const cli = useCallmatrixCli();
/** Where Temporal, Zoho or the call log is not: a port that stays refused while the command tries it. */
const refusedPort = useRefusedPorts();
const ROOT = path.resolve(__dirname, '../..');
/** A stack frame, as Node prints them. */
const STACK_FRAME = /^\s+at .+[(:]\d+/m;

let dir: string;
let settingsFile: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-errors-'));
  settingsFile = path.join(dir, 'settings.yaml');
  fs.writeFileSync(settingsFile, 'employees:\n  - code: "101"\n    name: Ivan Petrenko\n    extensions: ["101"]\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The CLI with only the variables given (plus PATH and HOME), in `cwd` (default: an empty folder). */
async function callmatrix(variables: NodeJS.ProcessEnv, args: string[], cwd?: string): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, CALLMATRIX_DATA_DIR: path.join(dir, 'data'), ...variables };
  const startedAt = Date.now();
  const workdir = cwd ?? fs.mkdtempSync(path.join(dir, 'cwd-'));
  try {
    const { stdout, stderr } = await cli.run(args, { cwd: workdir, env, timeout: 60_000 });
    return { code: 0, stdout, stderr, ms: Date.now() - startedAt };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr, ms: Date.now() - startedAt };
  }
}

function expectNoStackTrace(outcome: Outcome): void {
  expect(outcome.stderr).not.toMatch(STACK_FRAME);
  expect(outcome.stdout).not.toMatch(STACK_FRAME);
}

/** Holds a port, as a second `npm start` or another program would. */
async function occupy(): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** How long the CLI takes to start and print its version: the baseline the Temporal deadline is measured over. */
/**
 * The tests that wait on an unreachable Temporal, Zoho or call log (connection timeouts, retries' back-off) run
 * concurrently: they spend their 5–15 s waiting, not computing, and one after the other they held a jest worker for
 * 35 s. They start after `--version`, which measures the CLI's own start-up for them.
 */
let startupMs = 0;

it('--version prints the version of package.json', async () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const outcome = await callmatrix({}, ['--version']);
  expect(outcome).toMatchObject({ code: 0, stdout: `${version}\n` });
  startupMs = outcome.ms;
});

it('`start` with its ports taken names each port and the variable that moves it', async () => {
  const [shim, emulator, metrics] = [await occupy(), await occupy(), await occupy()];
  try {
    const outcome = await callmatrix(
      {
        CALLMATRIX_PORT: String(shim.port),
        CALLMATRIX_EMULATOR_PORT: String(emulator.port),
        CALLMATRIX_METRICS_PORT: String(metrics.port),
        TEMPORAL_ADDRESS: `127.0.0.1:${await refusedPort()}`,
      },
      ['start'],
    );
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toContain(`port ${shim.port}`);
    expect(outcome.stderr).toContain('CALLMATRIX_PORT');
    expect(outcome.stderr).toContain(`port ${emulator.port}`);
    expect(outcome.stderr).toContain('CALLMATRIX_EMULATOR_PORT');
    expect(outcome.stderr).toMatch(new RegExp(`port ${metrics.port} .*CALLMATRIX_METRICS_PORT`));
    expectNoStackTrace(outcome);
  } finally {
    await shim.close();
    await emulator.close();
    await metrics.close();
  }
});

/** What `webhook` needs to start, on ports outside the ephemeral range, with its codec server on, and `overrides`. */
async function webhookEnvironment(overrides: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  return {
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
    CALLMATRIX_SETTINGS: settingsFile,
    CALLMATRIX_PORT: String(await portToListenOn()),
    CALLMATRIX_METRICS_PORT: String(await portToListenOn()),
    CALLMATRIX_CODEC_PORT: String(await portToListenOn()),
    CALLMATRIX_CODEC_TOKEN: 'a-codec-token-of-sufficient-length',
    CALLMATRIX_WEBHOOK_SECRET: 'a-webhook-secret-of-length',
    CALLMATRIX_ENCRYPTION_KEY: generateEncryptionKey(),
    LOG_LEVEL: 'fatal',
    ...overrides,
  };
}

// The public port, the metrics listener of its own (off the public port, so a stranger cannot read call volumes) and
// the codec server's.
it.each(['CALLMATRIX_PORT', 'CALLMATRIX_METRICS_PORT', 'CALLMATRIX_CODEC_PORT'])('`webhook` on a port in use names %s', async (variable) => {
  const taken = await occupy();
  try {
    const outcome = await callmatrix(await webhookEnvironment({ [variable]: String(taken.port) }), ['webhook']);
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toMatch(new RegExp(`port ${taken.port} is already in use.*${variable}`));
    expectNoStackTrace(outcome);
  } finally {
    await taken.close();
  }
});

it('`worker` with its health port in use names the port and CALLMATRIX_WORKER_HEALTH_PORT', async () => {
  const taken = await occupy();
  try {
    const outcome = await callmatrix(
      {
        TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
        CALLMATRIX_SETTINGS: settingsFile,
        CALLMATRIX_ENCRYPTION_KEY: generateEncryptionKey(),
        // A data folder of its own: the worker keeps its activation there, sealed with this test's key.
        CALLMATRIX_DATA_DIR: fs.mkdtempSync(path.join(dir, 'data-')),
        CALLMATRIX_TASK_QUEUE: `health-port-taken-${taken.port}`,
        CALLMATRIX_WORKER_HEALTH_PORT: String(taken.port),
        CALLMATRIX_WORKER_METRICS_PORT: String(await portToListenOn()),
        LOG_LEVEL: 'fatal',
      },
      ['worker', '--workflow-bundle', process.env.CALLMATRIX_TEST_WORKFLOW_BUNDLE!],
    );
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toMatch(new RegExp(`port ${taken.port} is already in use.*CALLMATRIX_WORKER_HEALTH_PORT`));
    expectNoStackTrace(outcome);
  } finally {
    await taken.close();
  }
});

it.concurrent.each(['calls', 'calls show 1714567890.12345'])('Temporal unreachable: `%s` names the address and the variables within 5 s', async (command) => {
  const address = `127.0.0.1:${await refusedPort()}`;
  const outcome = await callmatrix({ TEMPORAL_ADDRESS: address, CALLMATRIX_ENCRYPTION_KEY: generateEncryptionKey() }, command.split(' '));
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toContain(`cannot reach Temporal at ${address}`);
  expect(outcome.stderr).toContain('TEMPORAL_ADDRESS');
  // Within 5 s of the CLI's own start-up, where the SDK's default would wait 10 s: the bound sits between the two,
  // with 4 s for a busy machine (1 s was not enough on 2 busy cores).
  expect(outcome.ms - startupMs).toBeLessThan(9_000);
  expectNoStackTrace(outcome);
});

it('`calls show` of a call Temporal does not know says so in one line, as `calls retry` does, and where to look next ([Operations])', async () => {
  const workflowId = `call:ringostat:no-such-call-${Date.now()}`;
  const outcome = await callmatrix({ TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS, CALLMATRIX_ENCRYPTION_KEY: generateEncryptionKey() }, ['calls', 'show', workflowId]);
  expect(outcome).toMatchObject({ code: 1, stdout: '' });
  expect(outcome.stderr).toMatch(new RegExp(`^callmatrix: ${workflowId}: no such call\\. \`callmatrix calls --phone <number>\` finds .*\`callmatrix backfill\`[^\\n]*\\n$`));
});

it.concurrent('the worker needs no webhook secret; with Temporal unreachable it says where it looked', async () => {
  const address = `127.0.0.1:${await refusedPort()}`;
  const outcome = await callmatrix(
    { TEMPORAL_ADDRESS: address, CALLMATRIX_SETTINGS: settingsFile, CALLMATRIX_ENCRYPTION_KEY: generateEncryptionKey(), LOG_LEVEL: 'fatal' },
    ['worker'],
  );
  expect(outcome.stderr).not.toContain('CALLMATRIX_WEBHOOK_SECRET');
  expect(outcome.stderr).toContain(`cannot reach Temporal at ${address}`);
  expectNoStackTrace(outcome);
});

it.concurrent('Ringostat unreachable: `backfill` names the call-log URL and RINGOSTAT_API_URL, after its retries', async () => {
  const zoned = path.join(dir, 'zoned.yaml');
  fs.writeFileSync(zoned, `${fs.readFileSync(settingsFile, 'utf8')}telephony:\n  timeZone: Europe/Kyiv\n`);
  const api = `http://127.0.0.1:${await refusedPort()}`;
  const outcome = await callmatrix(
    {
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      CALLMATRIX_SETTINGS: zoned,
      CALLMATRIX_DATA_DIR: fs.mkdtempSync(path.join(dir, 'data-')),
      CALLMATRIX_ENCRYPTION_KEY: generateEncryptionKey(),
      RINGOSTAT_API_KEY: 'x',
      RINGOSTAT_API_URL: api,
    },
    ['backfill', '--from', '2026-11-29', '--to', '2026-11-29 01:00', '--dry-run'],
  );
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toBe(
    `callmatrix: Ringostat's call log at ${api}/calls/list: unreachable (fetch failed: ECONNREFUSED) after 4 attempts; try again later, or check the network and RINGOSTAT_API_URL\n`,
  );
});

it.concurrent('Zoho and Temporal unreachable: the doctor says it could reach neither, and where', async () => {
  const [accounts, temporal] = [`http://127.0.0.1:${await refusedPort()}`, `127.0.0.1:${await refusedPort()}`];
  const outcome = await callmatrix(
    {
      CALLMATRIX_SETTINGS: settingsFile,
      ZOHO_CLIENT_ID: 'id',
      ZOHO_CLIENT_SECRET: 'secret',
      ZOHO_REFRESH_TOKEN: 'token',
      ZOHO_ACCOUNTS_URL: accounts,
      CALLMATRIX_DATA_DIR: path.join(dir, 'doctor'),
      TEMPORAL_ADDRESS: temporal,
      CALLMATRIX_ENCRYPTION_KEY: generateEncryptionKey(),
    },
    ['doctor'],
  );
  expect(outcome.code).toBe(1);
  expect(outcome.stdout).toContain('Zoho CRM could not be reached');
  expect(outcome.stdout).toContain(`cannot reach ${accounts}`);
  expect(outcome.stdout).toContain(`1. [Operations] Temporal could not be asked: cannot reach Temporal at ${temporal} (in plain text)`);
  expect(outcome.stdout).toContain('Fix: Is it running?');
  expectNoStackTrace(outcome);
});

it('a bad encryption key is caught by `config check`, naming the variable and the expected format', async () => {
  const outcome = await callmatrix({ CALLMATRIX_ENCRYPTION_KEY: 'nope', CALLMATRIX_SETTINGS: settingsFile }, ['config', 'check']);
  expect(outcome.code).toBe(2);
  expect(outcome.stderr).toMatch(/environment variable CALLMATRIX_ENCRYPTION_KEY: expected `<key id>:<base64 of 32 bytes>`/);
  expectNoStackTrace(outcome);
});

describe('no settings file: `config check` and `dry-run` use the demo settings, as `doctor` does, and say so', () => {
  const event = JSON.stringify({ uniqueid: '1', call_type: 'in', caller: '0671234567', disposition: 'ANSWERED', billsec: '42', connected_with: '101' });
  let data: string;
  beforeAll(() => {
    data = path.join(dir, 'demo-data');
    fs.mkdirSync(data, { recursive: true });
    fs.copyFileSync(settingsFile, path.join(data, 'demo-settings.yaml'));
  });

  it.each([
    ['config check', ['config', 'check']],
    ['dry-run', ['dry-run', '--no-lookup', '--event', event]],
  ])('%s', async (_name, args) => {
    const outcome = await callmatrix({ CALLMATRIX_DATA_DIR: data }, args);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout + outcome.stderr).toContain(`using the demo settings \`npm start\` wrote, ${path.join(data, 'demo-settings.yaml')}`);
  });

  it('with none at all, the error says which file to create', async () => {
    const outcome = await callmatrix({ CALLMATRIX_DATA_DIR: path.join(dir, 'empty') }, ['config', 'check']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('copy callmatrix.example.yaml to callmatrix.yaml, or set CALLMATRIX_SETTINGS');
  });
});

it('a bad --event for dry-run is a usage error naming --event, not a configuration error', async () => {
  const outcome = await callmatrix({ CALLMATRIX_SETTINGS: settingsFile }, ['dry-run', '--no-lookup', '--event', '{"uniqueid":']);
  expect(outcome.code).toBe(2);
  expect(outcome.stderr).toMatch(/^callmatrix: --event: not a JSON object of webhook parameters/);
  expect(outcome.stderr).not.toContain('configuration error');
  expectNoStackTrace(outcome);
});

it('`config check` reports the environment and the settings file together, in one run', async () => {
  const broken = path.join(dir, 'broken.yaml');
  fs.writeFileSync(broken, 'employees:\n  - code: "7"\n    name: A\n  - code: "7"\n    name: B\n');
  const outcome = await callmatrix({ CALLMATRIX_ENCRYPTION_KEY: 'k1:short', CALLMATRIX_WEBHOOK_SECRET: 'short' }, ['config', 'check', broken]);
  expect(outcome.code).toBe(2);
  expect(outcome.stderr).toContain('3 problems:');
  expect(outcome.stderr).toContain('environment variable CALLMATRIX_ENCRYPTION_KEY: expected');
  expect(outcome.stderr).toContain('environment variable CALLMATRIX_WEBHOOK_SECRET: must be at least 16 characters');
  expect(outcome.stderr).toContain(`${broken}, line 4: employees[1].code: employee code 7 is used twice`);
  expectNoStackTrace(outcome);
});

it('a damaged secrets.json is named, without its content and without a stack trace', async () => {
  const dataDir = fs.mkdtempSync(path.join(dir, 'data-'));
  fs.writeFileSync(path.join(dataDir, 'secrets.json'), '{"webhookSecret": "part-of-a-secret-9876", ', { mode: 0o600 });
  const outcome = await callmatrix({ CALLMATRIX_DATA_DIR: dataDir }, ['calls', 'show', 'some-call']);
  expect(outcome.code).not.toBe(0);
  expectNoStackTrace(outcome);
  expect(outcome.stderr).toContain(`${path.join(dataDir, 'secrets.json')}: not the JSON object of secrets`);
  expect(outcome.stderr + outcome.stdout).not.toContain('part-of-a-secret');
});

describe('an address variable that is no URL is named, with the form it wants, before anything starts', () => {
  it('CALLMATRIX_PUBLIC_URL without its scheme: `webhook` stops with one line, not a stack trace', async () => {
    // With the activation pages on (an admin token), whose redirect URI the public URL makes.
    const env = await webhookEnvironment({ CALLMATRIX_ADMIN_TOKEN: 'an-admin-token-of-length', CALLMATRIX_PUBLIC_URL: 'callmatrix.example.com' });
    const outcome = await callmatrix(env, ['webhook']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toBe(
      'callmatrix: configuration error\nenvironment variable CALLMATRIX_PUBLIC_URL: expected an http(s) URL such as https://callmatrix.example.com\n',
    );
    expectNoStackTrace(outcome);
  });

  it('`config check` names each: TEMPORAL_UI_URL, a CALLMATRIX_CODEC_ORIGIN that is no origin (which the browser\'s would never equal), RINGOSTAT_API_URL once', async () => {
    const outcome = await callmatrix(
      {
        CALLMATRIX_SETTINGS: settingsFile,
        TEMPORAL_UI_URL: 'localhost:8080',
        CALLMATRIX_CODEC_ORIGIN: 'http://localhost:8080, http://ui.internal:8080/',
        RINGOSTAT_API_URL: 'api.ringostat.net',
      },
      ['config', 'check'],
    );
    expect(outcome.code).toBe(2);
    expect(outcome.stderr.split('\n')).toEqual([
      'callmatrix: configuration error',
      '3 problems:',
      'environment variable CALLMATRIX_CODEC_ORIGIN: http://ui.internal:8080/ is not an origin: expected scheme, host and port only, such as http://localhost:8080 (no path, no trailing /), comma-separated',
      'environment variable RINGOSTAT_API_URL: must be a URL',
      'environment variable TEMPORAL_UI_URL: expected an http(s) URL such as http://localhost:8080',
      '',
    ]);
  });
});

/** An address no interface of any machine has (TEST-NET-1, RFC 5737), and a host name that never resolves (RFC 2606). */
const NOT_THIS_MACHINE = ['192.0.2.1', 'callmatrix.invalid'];

describe('an interface that is not this machine\'s is named with the variable that sets it, not as an unreachable server or a stack trace', () => {
  it.each([
    ['CALLMATRIX_HOST', NOT_THIS_MACHINE[1]],
    ['CALLMATRIX_METRICS_HOST', NOT_THIS_MACHINE[0]],
    ['CALLMATRIX_CODEC_HOST', NOT_THIS_MACHINE[0]],
  ])('`webhook` with %s=%s', async (variable, host) => {
    const outcome = await callmatrix(await webhookEnvironment({ [variable]: host }), ['webhook']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(new RegExp(`^callmatrix: configuration error\\n${host} is not an address of this machine \\(E[A-Z_]+\\): set ${variable} to one of its interfaces`));
    expectNoStackTrace(outcome);
  });

  it('`start` with CALLMATRIX_METRICS_HOST on another machine', async () => {
    const outcome = await callmatrix(
      {
        CALLMATRIX_PORT: String(await portToListenOn()),
        CALLMATRIX_EMULATOR_PORT: String(await portToListenOn()),
        CALLMATRIX_METRICS_PORT: String(await portToListenOn()),
        CALLMATRIX_CODEC_PORT: String(await portToListenOn()),
        CALLMATRIX_METRICS_HOST: NOT_THIS_MACHINE[0],
        TEMPORAL_ADDRESS: `127.0.0.1:${await refusedPort()}`,
      },
      ['start'],
    );
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(new RegExp(`^callmatrix: configuration error\\n${NOT_THIS_MACHINE[0]} is not an address of this machine \\(EADDRNOTAVAIL\\): set CALLMATRIX_METRICS_HOST to one of its interfaces`));
    expectNoStackTrace(outcome);
  });
});

it.each([['start'], ['doctor'], ['calls', 'show', 'some-call']])('CALLMATRIX_DATA_DIR naming a file: `%s …` names the path and the variable in one line', async (...args) => {
  const file = path.join(dir, `data-is-a-file-${args[0]}`);
  fs.writeFileSync(file, '');
  // `start` listens: on ports outside the ephemeral range and the suite's Temporal, so that only the data folder can stop it. The other
  // commands keep the secrets `npm start` generates there, as they do with no TEMPORAL_ADDRESS.
  const ports = ['CALLMATRIX_PORT', 'CALLMATRIX_METRICS_PORT', 'CALLMATRIX_CODEC_PORT', 'CALLMATRIX_EMULATOR_PORT'].map(async (name) => [name, String(await portToListenOn())]);
  const start = args[0] === 'start' ? { ...Object.fromEntries(await Promise.all(ports)), TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS } : {};
  const outcome = await callmatrix({ ...start, CALLMATRIX_SETTINGS: settingsFile, CALLMATRIX_DATA_DIR: file }, args);
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toBe(`callmatrix: ${file} is not a folder (EEXIST): set CALLMATRIX_DATA_DIR to a folder callmatrix may write, or move the file away.\n`);
});

// The shim too: started, it would answer every webhook 503 while its /readyz said ready.
it.each([['calls'], ['calls', 'show', 'some-call'], ['worker', '--workflow-bundle', process.env.CALLMATRIX_TEST_WORKFLOW_BUNDLE!], ['webhook']])('a TEMPORAL_NAMESPACE the cluster lacks: %j names it and the variable in one line', async (...args) => {
  const outcome = await callmatrix(
    {
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: 'no-such-namespace',
      CALLMATRIX_ENCRYPTION_KEY: generateEncryptionKey(),
      CALLMATRIX_SETTINGS: settingsFile,
      CALLMATRIX_DATA_DIR: fs.mkdtempSync(path.join(dir, 'data-')),
      CALLMATRIX_WORKER_METRICS_PORT: String(await portToListenOn()),
      CALLMATRIX_WEBHOOK_SECRET: 'a-webhook-secret-of-length',
      CALLMATRIX_PORT: String(await portToListenOn()),
      CALLMATRIX_METRICS_PORT: String(await portToListenOn()),
      LOG_LEVEL: 'fatal',
    },
    args,
  );
  expect(outcome).toMatchObject({
    code: 2,
    stderr: `callmatrix: configuration error\nenvironment variable TEMPORAL_NAMESPACE: Temporal at ${process.env.TEMPORAL_ADDRESS} has no namespace "no-such-namespace": set it to one the cluster has (default: default), or register that one (temporal operator namespace create --namespace no-such-namespace)\n`,
  });
});
