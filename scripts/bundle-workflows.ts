/** Prebuilds the workflow bundle for production workers (`callmatrix worker --workflow-bundle FILE`). */
import fs from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from '../worker/workflow-bundle';

async function main() {
  const out = process.argv[2];
  if (!out || out === '--help') {
    process.stdout.write('usage: bundle-workflows <output file>\nWrites the webpack bundle of workflows/ for production workers.\n');
    process.exit(out ? 0 : 2);
  }
  const { code } = await bundleWorkflowCode(workflowBundleOptions);
  fs.writeFileSync(out, code);
  process.stdout.write(`workflow bundle written to ${out} (${Math.round(code.length / 1024)} KiB)\n`);
}

void main();
