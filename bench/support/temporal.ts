/**
 * One Temporal dev server and one workflow bundle per bench run, started on first use and stopped by the runner
 * (`stopSharedTemporal`), so several bench modules share them and a module can still run on its own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer, type RunningDevServer } from '../../cli/temporal-dev-server';
import { progress } from './report';

export interface SharedTemporal {
  address: string;
  workflowBundlePath: string;
  /** Pid of the dev server, to sample its memory. */
  pid?: number;
}

let shared: Promise<{ server: RunningDevServer; dir: string; value: SharedTemporal }> | undefined;

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn: (m: string) => progress(`[bundle] ${m}`), error: (m: string) => progress(`[bundle] ${m}`) };

export async function sharedTemporal(): Promise<SharedTemporal> {
  shared ??= (async () => {
    const startedAt = Date.now();
    progress('starting the Temporal dev server and bundling the workflows…');
    const [server, bundle] = await Promise.all([
      startDevServer(),
      bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quiet }),
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-bench-'));
    const workflowBundlePath = path.join(dir, 'workflow-bundle.js');
    fs.writeFileSync(workflowBundlePath, bundle.code);
    progress(`Temporal dev server at ${server.address} (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
    return { server, dir, value: { address: server.address, workflowBundlePath, pid: server.process.pid } };
  })();
  return (await shared).value;
}

export async function stopSharedTemporal(): Promise<void> {
  if (!shared) return;
  const current = shared;
  shared = undefined;
  const { server, dir } = await current;
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
