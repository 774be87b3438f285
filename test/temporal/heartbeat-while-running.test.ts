/**
 * The call's activities are scheduled with a heartbeat timeout (KEEP_ALIVE_HEARTBEAT_TIMEOUT_MS), so a worker that
 * dies in the middle of a write is seen gone within seconds and the write retried elsewhere (M17: the caller's
 * later calls wait behind its turn meanwhile). The worker heartbeats them while they run: on a real Temporal
 * server, an activity that runs longer than the timeout, heartbeating nothing itself, completes.
 */
import crypto from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { KEEP_ALIVE_HEARTBEAT_TIMEOUT_MS } from '../../temporal/contracts';
import { heartbeatWhileRunning } from '../../worker/heartbeat-while-running';

const address = process.env.TEMPORAL_ADDRESS!;

describe('the worker heartbeats the call activities while they run', () => {
  it('L2, M17: an activity longer than the heartbeat timeout completes, its worker alive', async () => {
    const taskQueue = `test-keep-alive-${crypto.randomUUID()}`;
    const nativeConnection = await NativeConnection.connect({ address });
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('./support/keep-alive-workflow'),
      activities: { slowStep: (ms: number) => new Promise<string>((resolve) => setTimeout(() => resolve('done'), ms)) },
      interceptors: { activity: [heartbeatWhileRunning] },
    });
    const connection = await Connection.connect({ address });
    try {
      const client = new Client({ connection, namespace: 'default' });
      const result = await worker.runUntil(
        client.workflow.execute('keepAliveWorkflow', { taskQueue, workflowId: taskQueue, args: [KEEP_ALIVE_HEARTBEAT_TIMEOUT_MS + 3_000] }),
      );
      expect(result).toBe('done');
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  }, 60_000);
});
