/**
 * One Temporal dev server and one workflow bundle per bench run, started on first use and stopped by the runner
 * (`stopSharedTemporal`), so several bench modules share them and a module can still run on its own. With
 * `useExistingTemporal`, the benches run against that cluster instead of a dev server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer, type RunningDevServer } from '../../cli/temporal-dev-server';
import { ensureSearchAttributes } from '../../temporal/search-attributes';
import { workflowBundleOptions } from '../../worker/workflow-bundle';
import { progress } from './report';

export interface SharedTemporal {
  address: string;
  workflowBundlePath: string;
  /** Pid of the dev server, to sample its memory. */
  pid?: number;
}

let shared: Promise<{ server?: RunningDevServer; dir: string; value: SharedTemporal }> | undefined;
let existingAddress: string | undefined;

/** Runs the benches against the Temporal cluster at `address` (its `default` namespace) rather than a dev server. */
export function useExistingTemporal(address: string): void {
  existingAddress = address;
}

/** Where the benches' Temporal runs; `devServer` when they started it themselves. */
interface TemporalTarget {
  address: string;
  devServer?: RunningDevServer;
}

async function existingCluster(address: string): Promise<TemporalTarget> {
  const connection = await Connection.connect({ address });
  try {
    await ensureSearchAttributes(connection, 'default');
  } finally {
    await connection.close();
  }
  return { address };
}

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn: (m: string) => progress(`[bundle] ${m}`), error: (m: string) => progress(`[bundle] ${m}`) };

/** Bundles the workflows once into a temporary folder, for workers given a prebuilt bundle. */
export async function writeWorkflowBundle(): Promise<{ dir: string; workflowBundlePath: string }> {
  const bundle = await bundleWorkflowCode({ ...workflowBundleOptions, logger: quiet });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-bench-'));
  const workflowBundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(workflowBundlePath, bundle.code);
  return { dir, workflowBundlePath };
}

export async function sharedTemporal(): Promise<SharedTemporal> {
  shared ??= (async () => {
    const startedAt = Date.now();
    progress(`${existingAddress ? `connecting to Temporal at ${existingAddress}` : 'starting the Temporal dev server'} and bundling the workflows…`);
    const [server, { dir, workflowBundlePath }] = await Promise.all([
      existingAddress ? existingCluster(existingAddress) : startDevServer().then((devServer): TemporalTarget => ({ address: devServer.address, devServer })),
      writeWorkflowBundle(),
    ]);
    progress(`Temporal at ${server.address} (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
    const { devServer } = server;
    return { server: devServer, dir, value: { address: server.address, workflowBundlePath, pid: devServer?.process.pid } };
  })();
  return (await shared).value;
}

export async function stopSharedTemporal(): Promise<void> {
  if (!shared) return;
  const current = shared;
  shared = undefined;
  const { server, dir } = await current;
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
