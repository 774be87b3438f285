/**
 * Ctrl-C while `npm start` is still starting (issue 12: errors a person can act on). The user stopped it: it stops
 * at once, quietly, instead of finishing its start against a Temporal it already stopped and then reporting that
 * Temporal cannot be reached.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { portToListenOn } from '../support/listen-ports';
import { useCallmatrixCli } from '../support/callmatrix-cli';
import { useRefusedPorts } from '../support/refused-ports';

const cli = useCallmatrixCli();
const refusedPort = useRefusedPorts();

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-interrupted-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('Ctrl-C during the start stops it at once with status 130, not with "cannot reach Temporal" at the deadline', async () => {
  // Nothing listens at TEMPORAL_ADDRESS: the start would wait for the connection deadline, then fail.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CALLMATRIX_DATA_DIR: path.join(dir, 'data'),
    TEMPORAL_ADDRESS: `127.0.0.1:${await refusedPort()}`,
    CALLMATRIX_PORT: String(await portToListenOn()),
    CALLMATRIX_CODEC_PORT: String(await portToListenOn()),
    CALLMATRIX_EMULATOR_PORT: String(await portToListenOn()),
    CALLMATRIX_METRICS_PORT: String(await portToListenOn()),
    LOG_FORMAT: 'json',
  };
  const child = cli.spawn(['start'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    // The demo CRM is connected just before the worker connects to Temporal: the start is under way.
    const underWay = Date.now();
    while (!output.includes('Zoho CRM connected')) {
      if (child.exitCode !== null) throw new Error(`start exited early:\n${output}`);
      if (Date.now() - underWay > 60_000) throw new Error(`start never got under way:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const interruptedAt = Date.now();
    child.kill('SIGINT');
    const code = await exited;
    expect({ code, output }).toMatchObject({ code: 130 });
    expect(output).not.toContain('cannot reach Temporal');
    expect(output).toContain('stopped before it had started');
    // Well before the 5 s connection deadline it would otherwise have waited for.
    expect(Date.now() - interruptedAt).toBeLessThan(4_000);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
