import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__TEMPORAL_DEV_SERVER__?.stop();
  if (globalThis.__WORKFLOW_BUNDLE_DIR__) fs.rmSync(globalThis.__WORKFLOW_BUNDLE_DIR__, { recursive: true, force: true });
}
