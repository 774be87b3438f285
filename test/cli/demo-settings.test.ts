/**
 * Issue 12, item 6: the demo keeps working after a user copies callmatrix.example.yaml to callmatrix.yaml, and when
 * a settings file does not fit the demo CRM, `npm start`'s banner says why and what to do (the doctor's checks).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { diagnose, gatherDoctorFacts } from '../../activation';
import { loadSettingsFile } from '../../config/load-settings';
import { portToListenOn } from '../support/listen-ports';
import { startEmulatedOrg } from '../support/emulated-org';
import { useCallmatrixCli } from '../support/callmatrix-cli';

const ROOT = path.resolve(__dirname, '../..');
const cli = useCallmatrixCli();

it('A2, A3, D3, D4: the example settings fit the demo CRM: the doctor finds nothing', async () => {
  const org = await startEmulatedOrg({ seed: 'demo' });
  try {
    const example = loadSettingsFile(path.join(ROOT, 'callmatrix.example.yaml'));
    expect(diagnose(await gatherDoctorFacts(org.zoho, org.activation, example))).toEqual([]);
  } finally {
    await org.close();
  }
});

/** `callmatrix start` on the demo CRM with a settings file of the user's; `output` gathers stdout and stderr. */
async function startWithSettings(text: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-banner-'));
  const settings = path.join(dir, 'callmatrix.yaml');
  fs.writeFileSync(settings, text);
  const child = cli.spawn(['start'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: 'default',
      CALLMATRIX_TASK_QUEUE: `banner-${Date.now()}`,
      CALLMATRIX_DATA_DIR: path.join(dir, 'data'),
      CALLMATRIX_SETTINGS: settings,
      CALLMATRIX_PORT: String(await portToListenOn()),
      CALLMATRIX_EMULATOR_PORT: String(await portToListenOn()),
      // Ports of their own: other files start `callmatrix start` at the same time.
      CALLMATRIX_METRICS_PORT: String(await portToListenOn()),
      CALLMATRIX_CODEC_PORT: String(await portToListenOn()),
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = { child, settings, output: '' };
  child.stdout.on('data', (chunk: Buffer) => (started.output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (started.output += chunk.toString()));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return Object.assign(started, { stop });
}

it("A2: with settings naming users the demo CRM lacks, `start`'s banner prints the doctor's warning and what to do", async () => {
  const start = await startWithSettings('seniorManager:\n  zohoUserId: "111"\nemployees:\n  - code: "101"\n    name: Ivan\n    zohoUserId: "222"\n    extensions: ["101"]\n');
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner warning within 90 s:\n${start.output}`)), 90_000);
      const check = () => {
        if (start.output.includes('Ctrl-C stops everything.') && /CALLMATRIX_SETTINGS=.*demo-settings\.yaml/.test(start.output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      start.child.stdout.on('data', check);
      start.child.once('exit', () => reject(new Error(`start exited:\n${start.output}`)));
    });
    expect(start.output).toContain('Warnings from `callmatrix doctor`');
    expect(start.output).toMatch(/employee 101 \(Ivan\) is Zoho user 222, which this Zoho org does not have/);
    expect(start.output).toContain(`${start.settings} is checked against them`);
  } finally {
    await start.stop();
  }
});

it('D3: a mapping to a field the demo CRM lacks stops `start`, naming the field, and says how to run the demo anyway', async () => {
  const start = await startWithSettings('mappings:\n  Leads:\n    pool_name: rs_nonexistent\n');
  try {
    const code = await new Promise<number | null>((resolve) => start.child.once('exit', resolve));
    expect(code).toBe(2);
    expect(start.output).toMatch(/rs_nonexistent/);
    expect(start.output).toMatch(/To try the demo as is: .*CALLMATRIX_SETTINGS=.*demo-settings\.yaml/);
    expect(start.output).not.toMatch(/\n\s+at /);
  } finally {
    await start.stop();
  }
});
