/**
 * Issue 12, "done when": every command the README shows runs against a fresh clone's defaults.
 *
 * Which commands: `readmeCommands()` takes, from README.md,
 *  1. every command of a fenced block tagged `sh`, `bash` or `shell` (lines joined over a trailing `\`, `# comments`
 *     dropped), and every `$ ` line of any other block (a terminal transcript, `console` or untagged);
 *  2. every inline code span outside blocks that starts with a command word and goes on (COMMAND_WORDS:
 *     `callmatrix`, `./bin/callmatrix`, `npm`, `npx`, `node`, `curl`, `docker`, `git`, `cp`, `apt-get`, `openssl`,
 *     `echo`, `ssh`, `temporal`); a span that is the word alone names a program, not a command.
 * Each one must be accounted for, or the last test fails naming it:
 *  - run here, exactly as the README writes it (found by its beginning, so a changed flag is still run), with only the
 *    substitutions each step names (an example call id or user id replaced by the demo's real one);
 *  - a command named in prose that is the beginning of one run here (`callmatrix doctor`, `npm start`);
 *  - a usage form of `callmatrix` (`<placeholder>`, `[optional]`, `…`, `a|b`): its subcommand's `--help` must list
 *    every option it shows;
 *  - listed in NOT_RUN_HERE, with the reason and what checks it instead.
 *
 * The fresh clone: the repository's files (tracked, and new ones not ignored, so an uncommitted README edit is
 * tested) copied to a temporary folder, with no callmatrix.yaml, .env or .callmatrix/, and node_modules linked
 * from the repository (package-lock.json keeps the installed tree's time, so `npm start`'s bootstrap does not run
 * `npm ci` over the shared node_modules). Every command gets PATH and HOME, and the documented variables that keep
 * it off the ports and Temporal task queue of suites running in parallel:
 *  - TEMPORAL_ADDRESS: the suite's dev server. `npm start` runs its embedded server on the fixed 127.0.0.1:7233,
 *    which another run on this machine may hold; the README's troubleshooting says to set TEMPORAL_ADDRESS then;
 *  - CALLMATRIX_PORT, CALLMATRIX_CODEC_PORT, CALLMATRIX_EMULATOR_PORT, CALLMATRIX_METRICS_PORT: free ports in
 *    place of 3000, 3001, 3100, 9465;
 *  - CALLMATRIX_TASK_QUEUE: a queue of its own on the shared server.
 * `npm start` and `backfill` also get what the README's reconciliation section says to set, RINGOSTAT_API_KEY, and
 * RINGOSTAT_API_URL pointing at the Ringostat emulator: without them the worker pauses reconciliation, and the doctor
 * (which reads the worker's Schedule, not its own environment) reports it off (L1).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startRingostatEmulator, type RingostatEmulator } from '@callmatrix/ringostat-emulator';
import { portToListenOn } from '../support/listen-ports';

const ROOT = path.resolve(__dirname, '../..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const exec = promisify(execFile);
jest.setTimeout(120_000);

// ---- Which commands the README shows --------------------------------------------------------------------------

const COMMAND_WORDS = ['callmatrix', './bin/callmatrix', 'npm', 'npx', 'node', 'curl', 'docker', 'git', 'cp', 'apt-get', 'openssl', 'echo', 'ssh', 'temporal'];
const SHELL_TAGS = new Set(['sh', 'bash', 'shell']);

interface ReadmeCommand {
  text: string;
  line: number;
}

function readmeCommands(markdown: string): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  const lines = markdown.split('\n');
  let fence: { tag: string } | undefined;
  let pending: ReadmeCommand | undefined;
  const prose: string[] = [];
  lines.forEach((raw, index) => {
    const opening = /^\s*```(\S*)/.exec(raw);
    if (opening) {
      fence = fence ? undefined : { tag: opening[1] };
      prose.push('');
      return;
    }
    if (!fence) {
      prose.push(raw);
      return;
    }
    prose.push('');
    if (!SHELL_TAGS.has(fence.tag) && !raw.trim().startsWith('$ ')) return;
    const line = raw.trim().replace(/^\$ /, '').replace(/\s+#\s.*$/, '').trim();
    if (pending) pending.text += ` ${line}`;
    else if (line) pending = { text: line, line: index + 1 };
    if (pending && !pending.text.endsWith('\\')) {
      commands.push(pending);
      pending = undefined;
    } else if (pending) pending.text = pending.text.slice(0, -1).trimEnd();
  });
  // Inline code spans, which may wrap over a line break.
  const text = prose.join('\n');
  for (const match of text.matchAll(/`([^`]+)`/g)) {
    const span = match[1].replace(/\s+/g, ' ').trim();
    const word = span.split(' ')[0];
    if (!COMMAND_WORDS.includes(word) || span === word) continue;
    commands.push({ text: span, line: text.slice(0, match.index).split('\n').length });
  }
  return commands;
}

/** `callmatrix x` in prose is the same command as `./bin/callmatrix x` in a block. */
const normalise = (command: string) => command.replace(/^callmatrix /, './bin/callmatrix ');
const USAGE_FORM = /<[^>]+>|\[[^\]]+\]|…|\S\|\S/;

const EXTRACTED = readmeCommands(README);

// ---- Commands not run here, and what checks them instead -------------------------------------------------------

interface NotRunHere {
  matches: RegExp;
  reason: string;
  checkedBy: string;
}

const NOT_RUN_HERE: NotRunHere[] = [
  {
    matches: /^git clone /,
    reason: 'clones from the network',
    checkedBy: 'this test: its fresh copy of the repository is the clone every other command runs in',
  },
  {
    matches: /^docker /,
    reason: 'no Docker engine on this machine or in CI',
    checkedBy: 'test/foundation/docker-compose.test.ts (the compose file, its profiles and health checks) and test/foundation/production-build.test.ts (the image\'s build)',
  },
  {
    matches: /^npm test$/,
    reason: 'it is the suite this test is part of: run here, it would run itself',
    checkedBy: 'CI (.ci/run) runs it from a fresh clone',
  },
  {
    matches: /^npm ci$|^npm outdated$|^npm update |^npm install /,
    reason: 'they install or look up packages in the registry, and would replace the node_modules this clone shares with the repository',
    checkedBy: "`npm start`'s bootstrap (run here), which runs `npm ci` when the lock file is newer than node_modules; CI installs with `npm ci`",
  },
  {
    matches: /^npm run build$/,
    reason: 'the production build takes a minute of both cores',
    checkedBy: 'test/foundation/production-build.test.ts',
  },
  {
    matches: /^npm run bench\b|^node -r @swc-node\/register bench\//,
    reason: 'the benches run for 8–10 minutes; speed targets belong in bench/, never in timed tests',
    checkedBy: 'here, `npm run bench -- --help` (the README says `--help` lists the options); the benches compile with `npm run typecheck`',
  },
  {
    matches: /^npm run record-histories\b/,
    reason: 'it rewrites test/replay/histories/ with its own Temporal dev server, about 20 s on a quiet machine',
    checkedBy: 'test/replay/replay.test.ts, which replays every recorded history and checks one exists for each situation',
  },
  {
    matches: /^(\.\/bin\/)?callmatrix activate --dc |^docker compose exec |^read -rs SECRET|^printf '%s\\n' "\$SECRET" \| \.\/bin\/callmatrix activate --dc |^unset SECRET$/,
    reason: "needs a real Zoho account: a grant code from a Self Client in the Zoho API console of the data centre",
    checkedBy: 'test/activation (the same command against the Zoho emulator); here `activate senior`, `activate map` and `activate resume` run on the demo CRM',
  },
  {
    matches: /^apt-get install /,
    reason: 'installs system packages as root',
    checkedBy: 'CI (.ci/run installs chromium and python3-venv); the browser test uses chromium',
  },
  {
    matches: /^ssh -L /,
    reason: 'needs a remote host',
    checkedBy: 'nothing here: plain OpenSSH port forwarding',
  },
  {
    matches: /^temporal workflow show /,
    reason: "the Temporal CLI's own commands, shown for reading a history outside callmatrix; the first has placeholders for the endpoint and token",
    checkedBy: 'test/security (the codec server answers the Bearer token the CLI sends)',
  },
  {
    matches: /^temporal workflow reset --workflow-id call:ringostat:<uniqueid> --type FirstWorkflowTask /,
    reason: "the Temporal CLI's own command, for a call whose history the running code cannot replay; the workflow id is a placeholder",
    checkedBy: 'test/resilience/workflow-reset.test.ts (the same reset to the first workflow task, through the client: nothing written twice, nothing decided anew)',
  },
  {
    matches: /^callmatrix ref$/,
    reason: 'not a command: the marker line callmatrix writes into the tasks it creates (C3)',
    checkedBy: 'test/scenarios/c3-callbacks-close.test.ts',
  },
  {
    matches: /^(\.\/bin\/)?callmatrix (worker|webhook)$/,
    reason: 'production processes, which need TEMPORAL_ADDRESS, CALLMATRIX_SETTINGS and the keys docker compose gives them',
    checkedBy: '`npm start` here runs the same worker and shim in one process; docker-compose.test.ts checks the services that run them',
  },
];

// ---- The fresh clone and how commands run in it ----------------------------------------------------------------

let clone: string;
let env: NodeJS.ProcessEnv;
let ringostat: RingostatEmulator;
const RINGOSTAT_KEY = 'readme-commands-ringostat-key';
/** What the README's reconciliation section says to set, at the Ringostat emulator. */
const ringostatEnv = (): NodeJS.ProcessEnv => ({ RINGOSTAT_API_KEY: RINGOSTAT_KEY, RINGOSTAT_API_URL: ringostat.url });
const ran = new Set<string>();
const children: ChildProcess[] = [];

/** The README command that is `beginning`, else the only one that starts with it; marked as run. */
function readme(beginning: string): string {
  const texts = [...new Set(EXTRACTED.map((c) => normalise(c.text)))];
  const starting = texts.filter((text) => text.startsWith(normalise(beginning)));
  // A mention in prose (`callmatrix activate senior`) is the beginning of the full command shown in a block: run that.
  const found = starting.filter((text) => !starting.some((other) => other !== text && other.startsWith(`${text} `)));
  if (found.length !== 1) throw new Error(`README: expected one command starting with "${beginning}", found ${found.length}: ${found.join(' | ')}`);
  ran.add(found[0]);
  return found[0];
}

function freshClone(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-readme-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  for (const file of files.split('\0').filter(Boolean)) {
    const from = path.join(ROOT, file);
    if (!fs.existsSync(from) || fs.lstatSync(from).isSymbolicLink()) continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, file));
    fs.chmodSync(path.join(dir, file), fs.statSync(from).mode);
  }
  // The repository's packages, one link per entry: were anything to run `npm ci` here, it would remove the links,
  // never the packages the repository and other suites use.
  const modules = fs.realpathSync(path.join(ROOT, 'node_modules'));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  for (const entry of fs.readdirSync(modules)) fs.symlinkSync(path.join(modules, entry), path.join(dir, 'node_modules', entry));
  // The installed tree is current: bootstrap installs when the lock file is newer (scripts/bootstrap.js). A second
  // older, since a Date made from a time in milliseconds may round it up.
  const installed = new Date(fs.statSync(path.join(modules, '.package-lock.json')).mtimeMs - 1_000);
  fs.utimesSync(path.join(dir, 'package-lock.json'), installed, installed);
  if (fs.statSync(path.join(dir, 'package-lock.json')).mtimeMs >= fs.statSync(path.join(dir, 'node_modules/.package-lock.json')).mtimeMs) {
    throw new Error('the fresh clone would reinstall its packages');
  }
  return dir;
}

/** A command in the clone, through the shell as a user pastes it; its stdout, or an error showing all it printed. */
async function succeeds(command: string, extra: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    return (await exec('sh', ['-c', normalise(command)], { cwd: clone, env: { ...env, ...extra }, timeout: 60_000 })).stdout;
  } catch (error) {
    const failed = error as { code: number | string; stdout: string; stderr: string };
    throw new Error(`\`${command}\` exited ${failed.code}\n${failed.stdout}\n${failed.stderr}`);
  }
}

/** A long-running command in its own process group, as in a terminal, so Ctrl-C (SIGINT) reaches all of it. */
function background(command: string, extra: NodeJS.ProcessEnv = {}): { child: ChildProcess; output: () => string; waitFor(pattern: RegExp, ms: number): Promise<RegExpMatchArray> } {
  const child = spawn('sh', ['-c', normalise(command)], { cwd: clone, env: { ...env, ...extra }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    child,
    output: () => output,
    waitFor: (pattern, ms) =>
      new Promise((resolve, reject) => {
        const deadline = Date.now() + ms;
        const poll = setInterval(() => {
          const match = pattern.exec(output);
          if (match || child.exitCode !== null || Date.now() > deadline) {
            clearInterval(poll);
            if (match) resolve(match);
            else reject(new Error(`\`${command}\` ${child.exitCode !== null ? `exited ${child.exitCode}` : `printed no ${pattern} in ${ms} ms`}:\n${output}`));
          }
        }, 100);
      }),
  };
}

const groupAlive = (child: ChildProcess) => {
  try {
    process.kill(-child.pid!, 0);
    return true;
  } catch {
    return false;
  }
};

/** Ctrl-C: SIGINT to the whole group; the group must be gone within `ms`. */
async function interrupt(child: ChildProcess, ms: number): Promise<void> {
  if (!groupAlive(child)) return;
  process.kill(-child.pid!, 'SIGINT');
  const deadline = Date.now() + ms;
  while (groupAlive(child) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (groupAlive(child)) {
    process.kill(-child.pid!, 'SIGKILL');
    throw new Error(`still running ${ms} ms after Ctrl-C; killed`);
  }
}

beforeAll(async () => {
  clone = freshClone();
  ringostat = await startRingostatEmulator({ apiKey: RINGOSTAT_KEY });
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
    CALLMATRIX_TASK_QUEUE: `readme-commands-${process.pid}`,
    CALLMATRIX_PORT: String(await portToListenOn()),
    CALLMATRIX_CODEC_PORT: String(await portToListenOn()),
    CALLMATRIX_EMULATOR_PORT: String(await portToListenOn()),
    CALLMATRIX_METRICS_PORT: String(await portToListenOn()),
  };
});

afterAll(async () => {
  for (const child of children) {
    if (groupAlive(child)) process.kill(-child.pid!, 'SIGKILL');
  }
  await ringostat?.close();
  if (clone) fs.rmSync(clone, { recursive: true, force: true });
});

// ---- The commands, in the order a new user meets them ----------------------------------------------------------

/**
 * Work started now and checked by a later test, so that independent commands run side by side (each `callmatrix`
 * spends a second or more compiling its sources): a failure is kept until that test, never an unhandled rejection.
 */
function started<T>(work: () => Promise<T>): () => Promise<T> {
  const outcome = work().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return async () => {
    const settled = await outcome;
    if ('error' in settled) throw settled.error;
    return settled.value;
  };
}

describe('before `npm start`: a fresh clone', () => {
  it('has no settings, secrets or state of its own', () => {
    for (const file of ['callmatrix.yaml', '.env', '.callmatrix']) expect(fs.existsSync(path.join(clone, file))).toBe(false);
  });

  it('`--version`, `--help`, `config check` and `dry-run` work on the example settings', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const [printed, help, checked, plan] = await Promise.all([
      succeeds(readme('./bin/callmatrix --version')),
      succeeds(readme('./bin/callmatrix --help')),
      succeeds('./bin/callmatrix config check'),
      succeeds(readme('./bin/callmatrix dry-run --')),
    ]);
    expect(printed).toBe(`${version}\n`);
    expect(help).toMatch(/Commands:[\s\S]*dry-run/);
    expect(checked).toMatch(/callmatrix\.example\.yaml: valid/);
    expect(plan).toMatch(/M1/);
  });
});

describe('`npm start`, then the commands the README runs against it', () => {
  let start: ReturnType<typeof background>;
  let banner: string;
  let callId: string;
  /** Commands that need no `npm start`, run while it starts. */
  let recipes: () => Promise<string>;
  let schema: () => Promise<void>;
  let emulator: () => Promise<number>;
  let bench: () => Promise<string>;

  beforeAll(async () => {
    start = background(readme('npm start'), ringostatEnv());
    recipes = started(async () => {
      const [key, adminToken, codecToken] = await Promise.all(
        [readme('echo "k$(date'), readme('openssl rand -base64 24'), readme('openssl rand -hex 24')].map(async (recipe) => (await succeeds(recipe)).trim()),
      );
      return succeeds('./bin/callmatrix config check callmatrix.example.yaml', {
        CALLMATRIX_ENCRYPTION_KEY: key,
        CALLMATRIX_WEBHOOK_SECRET: adminToken,
        CALLMATRIX_ADMIN_TOKEN: adminToken,
        CALLMATRIX_CODEC_TOKEN: codecToken,
      });
    });
    schema = started(async () => {
      await succeeds(readme('npm run config:schema'));
    });
    emulator = started(async () => {
      const port = String(await portToListenOn());
      // 3100 is the demo's port, which `npm start` or another run holds: the same command on a free port.
      const running = background(readme('npx zoho-emulator --port').replace('3100', port));
      await running.waitFor(/zoho emulator listening/, 60_000);
      const { status } = await fetch(`http://127.0.0.1:${port}/__emulator/records/Leads`);
      await interrupt(running.child, 10_000);
      return status;
    });
    bench = started(() => succeeds('npm run bench -- --help'));
    await start.waitFor(/callmatrix is running[\s\S]*Ctrl-C stops everything/, 110_000);
    banner = start.output();
    callId = /"uniqueid":"([^"]+)"/.exec(banner)![1];
  }, 120_000);

  afterAll(async () => {
    if (start) await interrupt(start.child, 20_000);
  }, 30_000);

  it('the key and token recipes make values `config check` accepts', async () => {
    expect(await recipes()).toMatch(/environment: valid/);
  });

  it('`npm run config:schema` regenerates the committed schema unchanged', async () => {
    await schema();
    expect(fs.readFileSync(path.join(clone, 'callmatrix.schema.json'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'callmatrix.schema.json'), 'utf8'));
  });

  it('`npx zoho-emulator` serves the emulator until Ctrl-C', async () => {
    expect(await emulator()).toBe(200);
  });

  it("the banner's metrics URL serves the process's metrics; the webhook port serves none", async () => {
    const metricsUrl = /Metrics\s+(\S+)/.exec(banner)![1];
    expect(new URL(metricsUrl).port).toBe(env.CALLMATRIX_METRICS_PORT);
    expect(await (await fetch(metricsUrl)).text()).toMatch(/^# TYPE callmatrix_calls_total counter$/m);
    const shim = /Webhook shim\s+(http:\/\/[^/\s]+)/.exec(banner)![1];
    expect((await fetch(`${shim}/metrics`)).status).toBe(404);
  });

  it('`npm run bench -- --help` lists the benches', async () => {
    expect(await bench()).toMatch(/webhook-e2e/);
  });

  let calls: () => Promise<void>;
  let activation: () => Promise<void>;
  let backfill: () => Promise<void>;

  it('the printed curl lands a lead, a completed task and the call in the demo CRM', async () => {
    const curl = /^curl [\s\S]*?'\s*$(?=\n\n)/m.exec(banner)?.[0];
    expect(curl).toBeDefined();
    // The day (UTC) the call is sent: it started when the shim received it, so on that day or, past midnight, the next.
    const sentOn = new Date().toISOString().slice(0, 10);
    expect(await succeeds(curl!)).toMatch(/"ok":true/);
    const crm = /Zoho emulator\s+(\S+)/.exec(banner)![1];
    const records = async (module: string) => ((await (await fetch(`${crm}/__emulator/records/${module}`)).json()) as { data: Record<string, unknown>[] }).data;
    const deadline = Date.now() + 60_000;
    let logged: Record<string, unknown>[] = [];
    while (Date.now() < deadline) {
      logged = (await records('Calls')).filter((call) => String(call.Description ?? '').includes(callId));
      if (logged.length) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(logged).toHaveLength(1);
    const lead = (await records('Leads')).find((record) => record.id === (logged[0].What_Id as { id: string }).id);
    expect(lead).toMatchObject({ rs_utm_source: 'google' });
    const tasks = (await records('Tasks')).filter((task) => (task.What_Id as { id?: string } | undefined)?.id === lead!.id);
    expect(tasks).toEqual([expect.objectContaining({ Status: 'Completed' })]);

    // What the README runs against a running setup, side by side; each test below checks its part.
    calls = started(async () => {
      const caller = /"caller":"([^"]+)"/.exec(banner)![1];
      const [written, byPhone, failed, expired, discarded, shown, retried, retriedFailed] = await Promise.all([
        succeeds('./bin/callmatrix calls --status written'),
        // The README's example number and day, replaced by the demo call's caller and the day it was sent.
        succeeds(readme('./bin/callmatrix calls --phone').replace('"067 123 45 67"', `"${caller}"`).replace('2026-11-30', sentOn)),
        succeeds(readme('./bin/callmatrix calls --status failed')),
        ...['expired', 'discarded'].map((status) => succeeds(readme('callmatrix calls --status expired|discarded').replace('expired|discarded', status))),
        succeeds(readme('./bin/callmatrix calls show <call id>').replace('<call id>', callId)),
        // The README's example id, replaced by the call just made: a written call is left alone.
        succeeds(readme('./bin/callmatrix calls retry 1714567890.12345').replace('1714567890.12345', callId)),
        succeeds(readme('./bin/callmatrix calls retry --status failed')),
      ]);
      expect(written).toContain(callId);
      expect(byPhone).toContain(callId);
      for (const listing of [failed, expired, discarded]) expect(listing).not.toContain(callId);
      expect(shown).toMatch(/M1/);
      expect(shown).toContain(`/tab/Leads/${String(lead!.id)}`);
      expect(retried).toMatch(/nothing to retry/);
      expect(retriedFailed).toMatch(/no calls to retry/);
    });
    activation = started(async () => {
      const users = await succeeds(readme('./bin/callmatrix users'));
      const ids = [...users.matchAll(/^(\d+)\t.*\tactive\t/gm)].map((m) => m[1]);
      expect(ids.length).toBeGreaterThanOrEqual(2);
      // The README's example user ids, replaced by the demo CRM's.
      expect(await succeeds(readme('./bin/callmatrix activate senior').replace('4876876000000225013', ids[0]))).toMatch(/Senior manager/);
      expect(await succeeds(readme('./bin/callmatrix activate map 101 4876876000000225014').replace('4876876000000225014', ids[1]))).toMatch(/Employee 101/);
      expect(await succeeds(readme('./bin/callmatrix activate map 101 --remove'))).toMatch(/mapping removed/);
      for (const choice of ['--resend', '--no-resend']) {
        await succeeds(readme('callmatrix activate resume --resend|--no-resend').replace('--resend|--no-resend', choice));
      }
    });
    backfill = started(async () => {
      ringostat.addCalls([
        { uniqueid: `readme-backfill-${process.pid}`, calldate: '2026-11-02 10:00:00', call_type: 'in', caller: '+380671119911', disposition: 'NO ANSWER', billsec: 0, duration: 20 },
      ]);
      const counted = await succeeds(readme('./bin/callmatrix backfill --from 2026-11-01 --to "2026-11-03 12:00" --dry-run'), ringostatEnv());
      expect(counted).toMatch(/recovered\s+1\s+\(would be recovered\)/);
      expect(await succeeds(readme('./bin/callmatrix backfill --from 2026-11-01 --to "2026-11-03 12:00"'), ringostatEnv())).toMatch(/recovered\s+1\b/);
    });
  });

  it('`calls`, `calls show` and `calls retry` show and leave the written call', async () => {
    await calls();
  });

  it('`users`, `activate senior`, `activate map` and `activate resume` work on the demo CRM', async () => {
    await activation();
  });

  it('`backfill` counts, then recovers, a call only the call log has', async () => {
    await backfill();
  });

  it('`doctor` and `doctor --fix` find nothing wrong with the demo', async () => {
    const [fixed, checked] = await Promise.all([succeeds(readme('./bin/callmatrix doctor --fix')), succeeds(readme('./bin/callmatrix doctor'))]);
    for (const output of [fixed, checked]) expect(output).toMatch(/Integration: connected\nNo problems found/);
  });

  it("the production section's copies make settings that `config check` passes and the demo CRM accepts", async () => {
    await Promise.all([succeeds(readme('cp callmatrix.example.yaml callmatrix.yaml')), succeeds(readme('cp .env.example .env'))]);
    const [checked, doctor] = await Promise.all([succeeds(readme('./bin/callmatrix config check callmatrix.yaml')), succeeds('./bin/callmatrix doctor')]);
    expect(checked).toMatch(/callmatrix\.yaml: valid/);
    expect(doctor).toMatch(/Integration: connected\nNo problems found/);
  });

  it('Ctrl-C stops everything `npm start` started', async () => {
    await interrupt(start.child, 20_000);
    expect(start.output()).toMatch(/stopping/);
  });
});

describe('every command the README shows', () => {
  /** The usage forms of `callmatrix` not run above, by subcommand: the options they show. */
  const usage = new Map<string, string[]>();

  it('is run above, named in prose as the beginning of one run above, a usage form of `callmatrix`, or not run here with a reason', () => {
    const unaccounted: string[] = [];
    for (const { text, line } of EXTRACTED) {
      const command = normalise(text);
      if (ran.has(command)) continue;
      if ([...ran].some((run) => run.startsWith(`${command} `))) continue;
      if (NOT_RUN_HERE.some((entry) => entry.matches.test(text))) continue;
      if (command.startsWith('./bin/callmatrix ') && USAGE_FORM.test(command)) {
        const words = command.split(' ').slice(1);
        const firstArgument = words.findIndex((w) => !/^[a-z][a-z-]*$/.test(w));
        const subcommand = words.slice(0, firstArgument === -1 ? undefined : firstArgument).join(' ');
        usage.set(subcommand, [...(usage.get(subcommand) ?? []), ...(command.match(/--[a-z][a-z-]*/g) ?? [])]);
        continue;
      }
      unaccounted.push(`README.md:${line}: ${text}`);
    }
    expect(unaccounted).toEqual([]);
  });

  it("a usage form's subcommand and options are in that subcommand's --help", async () => {
    const helps = await Promise.all([...usage.keys()].map((subcommand) => succeeds(`./bin/callmatrix ${subcommand} --help`)));
    // An unknown subcommand's --help is the program's own help: its usage line names no subcommand.
    const missing = [...usage].flatMap(([subcommand, options], index) =>
      [`Usage: callmatrix ${subcommand} `, ...options].filter((o) => !helps[index].includes(o)).map((o) => `${subcommand}: ${o}`),
    );
    expect(missing).toEqual([]);
  });
});
