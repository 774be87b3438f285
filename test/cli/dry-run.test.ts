/**
 * `callmatrix dry-run` as a user runs it: a child process against a Zoho CRM emulator, reached like any
 * Zoho-compatible API (accounts server URL plus ZOHO_* credentials). It must name the rule and every record the call
 * would write, and write nothing.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { emulatorCredentials } from '../../cli/demo';
import { EmulatorAdmin, startEmulator, type RunningEmulator } from '@callmatrix/zoho-emulator';
import { createZohoClient, type ZohoCredentials, type ZohoUser } from '../../zoho';
import { openActivationStore } from '../../activation/credential-store';
import { generateEncryptionKey } from '../../temporal/encryption-codec';
import { useCallmatrixCli } from '../support/callmatrix-cli';

const cli = useCallmatrixCli();
const ROOT = path.resolve(__dirname, '../..');
const CALLER = '+380671234567';

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let dir: string;
let settingsFile: string;
let users: Map<string, ZohoUser>;
let credentials: ZohoCredentials;

beforeAll(async () => {
  emulator = await startEmulator({ seed: 'empty' });
  admin = new EmulatorAdmin(emulator.url);
  credentials = await emulatorCredentials(emulator);
  const zoho = createZohoClient({ credentials: { current: async () => credentials }, logger: pino({ level: 'silent' }) });
  users = new Map((await zoho.listUsers('ActiveUsers')).map((u) => [u.full_name, u]));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-dry-run-'));
  settingsFile = path.join(dir, 'settings.json');
  fs.writeFileSync(
    settingsFile,
    JSON.stringify({
      seniorManager: { zohoUserId: users.get('Olena Koval')!.id },
      employees: [
        { code: '101', name: 'Ivan Petrenko', zohoUserId: users.get('Ivan Petrenko')!.id, extensions: ['101'], sipLogins: ['ivan'] },
        { code: '102', name: 'Maria Shevchenko', zohoUserId: users.get('Maria Shevchenko')!.id, extensions: ['102'], sipLogins: ['maria'] },
      ],
    }),
  );
});

afterAll(async () => {
  await emulator?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI without any configured Zoho CRM or activation, so only what the test passes is used. */
async function dryRun(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return dryRunWith({}, ...args);
}

/** The CLI reading the CRM at `accountsUrl` with the emulator's OAuth client and refresh token in ZOHO_*. */
async function dryRunAgainst(accountsUrl: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const zoho = { ZOHO_CLIENT_ID: credentials.clientId, ZOHO_CLIENT_SECRET: credentials.clientSecret, ZOHO_REFRESH_TOKEN: credentials.refreshToken };
  return dryRunWith(zoho, '--zoho-accounts-url', accountsUrl, ...args);
}

async function dryRunWith(variables: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, CALLMATRIX_DATA_DIR: dir, LOG_LEVEL: 'warn' };
  for (const name of ['ZOHO_CLIENT_ID', 'ZOHO_CLIENT_SECRET', 'ZOHO_REFRESH_TOKEN', 'ZOHO_ACCOUNTS_URL', 'ZOHO_DC', 'CALLMATRIX_SETTINGS', 'CALLMATRIX_ENCRYPTION_KEY']) delete env[name];
  Object.assign(env, variables);
  try {
    const { stdout, stderr } = await cli.run(['dry-run', '--settings', settingsFile, ...args], { cwd: ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const answered = (overrides: Record<string, string> = {}) =>
  JSON.stringify({
    uniqueid: 'dry-1',
    call_type: 'in',
    caller: '067 123 45 67',
    dst: '+380442000000',
    disposition: 'ANSWERED',
    billsec: '42',
    duration: '50',
    connected_with: 'ivan',
    recording: 'https://records.example.com/dry-1.mp3',
    utm_source: 'google',
    ...overrides,
  });

/** Lookup queries: COQL, alone or in one composite request (#15). */
const isQuery = (path: string) => path.endsWith('/coql') || path.endsWith('/__composite_requests');

/** CRM writes: anything but reads and the lookup's queries on the CRM API (the records themselves are checked too). */
async function crmWrites() {
  return (await admin.requests()).filter((r) => r.path.includes('/crm/') && r.method !== 'GET' && !isQuery(r.path));
}

it('explains a new client’s answered call (M1, M2) after looking the caller up, and writes nothing', async () => {
  const result = await dryRunAgainst(emulator.accountsUrl, '--event', answered());
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(`client number 067 123 45 67 → ${CALLER}`);
  expect(result.stdout).toContain(`looked up in Zoho CRM (us, ZOHO_* credentials, accounts server ${emulator.accountsUrl})`);
  expect(result.stdout).toContain('nobody: a new client');
  expect(result.stdout).toContain('Scenario answered-new-client, rule M1: 3 operation(s).');
  expect(result.stdout).toMatch(/1\. create Leads {2}\[rule M1, step 'lead'\]\n {3}owner: /);
  expect(result.stdout).toContain(`owner: ${users.get('Ivan Petrenko')!.id}`);
  expect(result.stdout).toContain('rs_utm_source: google');
  expect(result.stdout).toMatch(/2\. create Tasks {2}\[rule M2, step 'task-call'\]/);
  expect(result.stdout).toContain("links: What_Id → record of step 'lead'");
  expect(result.stdout).toContain('Recording: https://records.example.com/dry-1.mp3');
  // C1: the call's own record in the Calls module, linked to the new lead.
  expect(result.stdout).toMatch(/3\. create Calls {2}\[rule C1, step 'call-record'\]/);
  expect(result.stdout).toContain('Call_Type: Inbound');
  expect(result.stdout).toContain('Voice_Recording__s: https://records.example.com/dry-1.mp3');
  // It read the CRM (the lookup, the org time zone) and wrote nothing.
  expect((await admin.requests()).some((r) => isQuery(r.path))).toBe(true);
  expect(await crmWrites()).toEqual([]);
  expect(await admin.records('Leads')).toEqual([]);
  expect(await admin.records('Tasks')).toEqual([]);
  expect(await admin.records('Calls')).toEqual([]);
});

it("looks up through the activation `npm start` left in the data folder, with the key it keeps there (no key in the environment)", async () => {
  const dataDir = path.join(dir, 'npm-start-data');
  fs.mkdirSync(dataDir);
  const encryptionKey = generateEncryptionKey();
  const kept = { webhookSecret: 'w'.repeat(24), adminToken: 'a'.repeat(24), encryptionKey, codecToken: 'c'.repeat(32) };
  fs.writeFileSync(path.join(dataDir, 'secrets.json'), JSON.stringify(kept), { mode: 0o600 });
  const store = await openActivationStore({ dataDir, encryptionKey, logger: pino({ level: 'silent' }) });
  await store.connect({ ...credentials, connectedAt: new Date().toISOString(), via: 'grant-code' });

  const result = await dryRunWith({ CALLMATRIX_DATA_DIR: dataDir, TEMPORAL_ADDRESS: '' }, '--event', answered());
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(`looked up in Zoho CRM (the activation in ${dataDir})`);
  expect(result.stdout).toContain('Scenario answered-new-client, rule M1');
});

it('asks for the event when it is given neither as a file nor with --event', async () => {
  const result = await dryRun('--no-lookup');
  expect(result.code).toBe(2);
  expect(result.stderr).toContain("dry-run: give the event as a JSON file or with --event '{...}'");
  expect(result.stderr).not.toContain('not both');
});

it('finds an existing client whatever format its number was stored in, and names the rule (M4)', async () => {
  const [lead] = await admin.seedRecords('Leads', [{ Last_Name: 'Client', Phone: '+38 067 123 45 67', Owner: users.get('Ivan Petrenko')!.id }]);
  await admin.clearRequests();
  const result = await dryRunAgainst(emulator.accountsUrl, '--event', answered());
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(`leads: ${lead.id}`);
  expect(result.stdout).toContain('rule M4: 2 operation(s).');
  expect(result.stdout).toContain(`links: What_Id → Leads ${lead.id}`);
  expect(result.stdout).not.toContain('create Leads');
  expect(await crmWrites()).toEqual([]);
  expect(await admin.records('Tasks')).toEqual([]);
});

it('reads an event file with --no-lookup (no Zoho at all) and explains an internal call (M15)', async () => {
  const file = path.join(dir, 'internal.json');
  fs.writeFileSync(file, JSON.stringify({ uniqueid: 'dry-2', call_type: 'internal', caller: '101', dst: '102', disposition: 'ANSWERED', billsec: '10' }));
  const result = await dryRun('--no-lookup', file);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('rule M15: 0 operation(s).');
  expect(result.stdout).toContain('Nothing would be written.');
});

it('refuses a --time-zone that is no IANA zone as a usage mistake naming it, not with a stack trace', async () => {
  const result = await dryRun('--no-lookup', '--time-zone', 'Kyiv', '--event', answered());
  expect(result).toMatchObject({
    code: 2,
    stdout: '',
    stderr: "callmatrix: option '--time-zone <iana>' argument 'Kyiv' is invalid: expected an IANA time zone such as Europe/Kyiv; run `callmatrix dry-run --help`\n",
  });
  const valid = await dryRun('--no-lookup', '--time-zone', 'Europe/Kyiv', '--event', answered());
  expect(valid.code).toBe(0);
  expect(valid.stdout).toContain('CRM time zone assumed Europe/Kyiv');
});

it('says what the shim would answer 400 for, naming the field', async () => {
  const result = await dryRun('--no-lookup', '--event', answered({ billsec: 'long', uniqueid: '' }));
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('billsec: expected a number of seconds');
  expect(result.stderr).toContain('uniqueid: the call id is required');
});

it('L4: names each optional parameter it would leave out unreadable, with the problem, in the text and the JSON', async () => {
  const event = answered({ billsec: 'abc', call_type: 'transfer' });
  const result = await dryRun('--no-lookup', '--event', event);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/\n {2}left out, unreadable \(the call is accepted without them\):\n {4}call_type: .*\n {4}billsec: expected a number of seconds \(42\) or h:mm:ss\n/);
  expect(result.stdout).toContain('rule M1');
  // The talk time left out is unknown, not 0 s (which would say nobody talked).
  expect(result.stdout).toMatch(/^Call ringostat:dry-1: \w+, answered, talk time unknown$/m);
  expect(result.stdout).not.toContain('talk 0 s');
  const json = await dryRun('--no-lookup', '--json', '--event', event);
  expect((JSON.parse(json.stdout) as { dropped: unknown }).dropped).toEqual([
    { field: 'call_type', problem: expect.any(String) },
    { field: 'billsec', problem: 'expected a number of seconds (42) or h:mm:ss' },
  ]);
  // Nothing is left out of a readable event, and its talk time is said.
  const readable = await dryRun('--no-lookup', '--event', answered());
  expect(readable.stdout).not.toContain('left out');
  expect(readable.stdout).toMatch(/^Call ringostat:dry-1: incoming, answered, talk 42 s$/m);
});

it('shows what a start event would do before the call when create-before-call (O1) is on', async () => {
  const file = path.join(dir, 'o1.json');
  const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(file, JSON.stringify({ ...settings, matrix: { createBeforeCall: true } }));
  const result = await dryRun('--no-lookup', '--settings', file, '--moment', 'start', '--event', JSON.stringify({ uniqueid: 'dry-3', call_type: 'in', caller: CALLER }));
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('When the call starts (create before the call, O1):');
  expect(result.stdout).toContain('No end event yet');
});

it('names the URL in one line when the server there does not speak Zoho\'s API', async () => {
  // A web server that answers 404 to everything, as most servers that are not Zoho would.
  const server = http.createServer((_request, response) => response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/accounts`;
  try {
    const result = await dryRunAgainst(url, '--event', answered());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`dry-run: cannot read Zoho CRM through the accounts server ${url}: is it a Zoho-compatible API?`);
    expect(result.stderr).toContain('HTTP 404');
    expect(result.stderr).not.toMatch(/AxiosError|\n\s+at /);
    expect(result.stdout).toBe('');
  } finally {
    server.close();
  }
});

it('asks for the ZOHO_* credentials when only the accounts server is given', async () => {
  const result = await dryRun('--zoho-accounts-url', emulator.accountsUrl, '--event', answered());
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('--zoho-accounts-url needs the credentials in ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN');
});
