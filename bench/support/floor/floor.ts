/**
 * Temporal's own floor for a call, on the bench's Temporal server: the floor workflow (workflow.ts) on its own
 * task queue, polled by its own worker process (worker-process.ts). `send` delivers a call the way the shim does,
 * one signal-with-start from this process, so its cost sits where the shim's would.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { forkBenchChild, stopService, type SendWebhook } from '../stack';
import { sharedTemporal } from '../temporal';
import type { FloorWorkerConfig } from './worker-process';
import { floorEventSignal, floorWorkflow } from './workflow';

export interface FloorWorker {
  pid: number;
  /**
   * Starts the call named by `parameters.uniqueid` and signals it, as one request; resolves with 200. With
   * `zohoLatencyMs`, its lookup and write each wait that long.
   */
  send(moment: Parameters<SendWebhook>[0], parameters: Parameters<SendWebhook>[1], zohoLatencyMs?: number): ReturnType<SendWebhook>;
  /** Waits until the call named `callId` closed; resolves with when its write ended (epoch ms). */
  result(callId: string): Promise<number>;
  stop(): Promise<void>;
}

export async function startFloorWorker(options: { cores?: string }): Promise<FloorWorker> {
  const { address } = await sharedTemporal();
  const config: FloorWorkerConfig = { temporalAddress: address, taskQueue: `bench-floor-${crypto.randomUUID()}` };
  const { child } = await forkBenchChild(path.join(__dirname, 'worker-process.ts'), 'CALLMATRIX_BENCH_FLOOR', config, 'floor-worker', options.cores);
  const connection = await Connection.connect({ address });
  const temporal = new Client({ connection, namespace: 'default' });
  return {
    pid: child.pid!,
    async send(_moment, parameters, zohoLatencyMs = 0) {
      await temporal.workflow.signalWithStart(floorWorkflow, {
        workflowId: `floor-${parameters.uniqueid}`,
        taskQueue: config.taskQueue,
        args: [zohoLatencyMs],
        signal: floorEventSignal,
        signalArgs: [parameters.uniqueid],
      });
      return 200;
    },
    result: (callId) => temporal.workflow.getHandle<typeof floorWorkflow>(`floor-${callId}`).result(),
    async stop() {
      await stopService(child);
      await connection.close();
    },
  };
}
