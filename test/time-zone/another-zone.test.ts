/**
 * Issue 13, item 7, for real: the scenarios of ./worker-in-another-zone.tz.ts run in a jest process of their own
 * with TZ=America/Los_Angeles (webhook shim, worker and workflows all in it), on this run's Temporal server.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

it('calldate, task due times and the resend window do not depend on the process\'s time zone', () => {
  const root = path.resolve(__dirname, '../..');
  const run = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--testMatch', '**/test/time-zone/*.tz.ts', '--ci'], {
    cwd: root,
    env: { ...process.env, TZ: 'America/Los_Angeles', CALLMATRIX_TEST_REUSE_TEMPORAL: '1' },
    encoding: 'utf8',
    timeout: 150_000,
  });
  if (run.status !== 0) throw new Error(`the run under TZ=America/Los_Angeles failed (${run.status ?? run.signal}):\n${run.stderr}${run.stdout}`);
}, 180_000);
