/**
 * The floor workflow's own tiny worker, a child process of the bench (forked by floor.ts): it bundles
 * workflow.ts alone, polls its task queue with the SDK's default options and plain JSON payloads, says `ready`
 * over IPC, and stops when told or when the bench goes away.
 */
import { bundleWorkflowCode, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import * as activities from './activities';

export interface FloorWorkerConfig {
  temporalAddress: string;
  taskQueue: string;
}

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn: (m: string) => console.error(m), error: (m: string) => console.error(m) };

async function main() {
  const config = JSON.parse(process.env.CALLMATRIX_BENCH_FLOOR ?? '') as FloorWorkerConfig;
  Runtime.install({ logger: quiet });
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./workflow'), logger: quiet });
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await Worker.create({ connection, taskQueue: config.taskQueue, workflowBundle: { code: bundle.code }, activities });
  const running = worker.run();
  const stop = () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    void running.finally(() => connection.close()).finally(() => process.exit(0));
  };
  process.on('message', (message: { type: string }) => {
    if (message.type === 'stop') stop();
  });
  process.on('disconnect', stop);
  process.send?.({ type: 'ready' });
}

main().catch((error: unknown) => {
  process.send?.({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
