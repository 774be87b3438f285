/**
 * Issue 12, item 6: the demo keeps working after a user copies callmatrix.example.yaml to callmatrix.yaml, and when
 * a settings file does not fit the demo CRM, `npm start`'s banner says why and what to do (the doctor's checks).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { diagnose, gatherDoctorFacts } from '../../activation';
import { loadSettingsFile } from '../../config/load-settings';
import { freePort } from '../../cli/temporal-dev-server';
import { startEmulatedOrg } from '../support/emulated-org';

const ROOT = path.resolve(__dirname, '../..');

it('A2, A3, D3, D4: the example settings fit the demo CRM: the doctor finds nothing', async () => {
  const org = await startEmulatedOrg({ seed: 'demo' });
  try {
    const example = loadSettingsFile(path.join(ROOT, 'callmatrix.example.yaml'));
    expect(diagnose(await gatherDoctorFacts(org.zoho, org.activation, example))).toEqual([]);
  } finally {
    await org.close();
  }
});

it("A2: with settings naming users the demo CRM lacks, `start`'s banner prints the doctor's warning and what to do", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-banner-'));
  const settings = path.join(dir, 'callmatrix.yaml');
  fs.writeFileSync(settings, 'seniorManager:\n  zohoUserId: "111"\nemployees:\n  - code: "101"\n    name: Ivan\n    zohoUserId: "222"\n    extensions: ["101"]\n');
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/callmatrix'), 'start'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: 'default',
      CALLMATRIX_TASK_QUEUE: `banner-${Date.now()}`,
      CALLMATRIX_DATA_DIR: path.join(dir, 'data'),
      CALLMATRIX_SETTINGS: settings,
      CALLMATRIX_PORT: String(await freePort()),
      CALLMATRIX_EMULATOR_PORT: String(await freePort()),
      // Ports of their own: other files start `callmatrix start` at the same time.
      CALLMATRIX_METRICS_PORT: String(await freePort()),
      CALLMATRIX_CODEC_PORT: String(await freePort()),
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner warning within 90 s:\n${output}`)), 90_000);
      const check = () => {
        if (output.includes('Ctrl-C stops everything.') && /CALLMATRIX_SETTINGS=.*demo-settings\.yaml/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', check);
      child.once('exit', () => reject(new Error(`start exited:\n${output}`)));
    });
    expect(output).toContain('Warnings from `callmatrix doctor`');
    expect(output).toMatch(/employee 101 \(Ivan\) is Zoho user 222, which this Zoho org does not have/);
    expect(output).toContain(`${settings} is checked against them`);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
