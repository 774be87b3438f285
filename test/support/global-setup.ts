/**
 * Starts one real Temporal dev server (the pinned CLI, no download) and bundles the workflows once for the whole
 * run; suites connect to it through TEMPORAL_ADDRESS and give their workers the prebuilt bundle. It also names the
 * folder of the run's build of the sources, made when a test first needs it (test-build.ts). The history
 * recorder (test/replay/record-histories.ts) starts the same way, with its own server options.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer, type DevServerOptions, type RunningDevServer } from '../../cli/temporal-dev-server';
import { workflowBundleOptions } from '../../worker/workflow-bundle';
import { nameTestBuild, removeTestBuild } from './test-build';
import { portToListenOn } from './listen-ports';

declare global {
  var __TEMPORAL_DEV_SERVER__: RunningDevServer | undefined;
  var __WORKFLOW_BUNDLE_DIR__: string | undefined;
}

/** The dev server and the workflow bundle, announced to harnesses through TEMPORAL_ADDRESS and CALLMATRIX_TEST_WORKFLOW_BUNDLE. */
export async function startTestTemporal(serverOptions: DevServerOptions = {}): Promise<void> {
  // Outside the ephemeral range: the server binds its gRPC port seconds after it is chosen.
  const port = serverOptions.port || (await portToListenOn());
  const [server, bundle] = await Promise.all([
    startDevServer({ ...serverOptions, port }),
    bundleWorkflowCode({ ...workflowBundleOptions, logger: quietLogger }),
  ]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-test-'));
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);
  process.env.TEMPORAL_ADDRESS = server.address;
  process.env.CALLMATRIX_TEST_WORKFLOW_BUNDLE = bundlePath;
  globalThis.__TEMPORAL_DEV_SERVER__ = server;
  globalThis.__WORKFLOW_BUNDLE_DIR__ = dir;
}

export async function stopTestTemporal(): Promise<void> {
  await globalThis.__TEMPORAL_DEV_SERVER__?.stop();
  if (globalThis.__WORKFLOW_BUNDLE_DIR__) fs.rmSync(globalThis.__WORKFLOW_BUNDLE_DIR__, { recursive: true, force: true });
}

export default async function globalSetup(): Promise<void> {
  // A run a test starts in a process of its own (another TZ, test/time-zone) uses its parent's server, bundle and build.
  nameTestBuild();
  if (process.env.CALLMATRIX_TEST_REUSE_TEMPORAL === '1' && process.env.TEMPORAL_ADDRESS && process.env.CALLMATRIX_TEST_WORKFLOW_BUNDLE) return;
  await startTestTemporal();
}

export async function globalTeardown(): Promise<void> {
  removeTestBuild();
  await stopTestTemporal();
}

const quietLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
