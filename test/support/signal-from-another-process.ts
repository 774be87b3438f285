/**
 * Sends one signal to a workflow from a process of its own: `node -r @swc-node/register
 * test/support/signal-from-another-process.ts '<json>'`, the JSON naming the Temporal address, the deployment's
 * encryption key, the workflow, the signal and its argument. A test runs it synchronously while its own process
 * holds a workflow task's completion (test/support/signal-while-task-in-flight.ts), so the signal reaches the
 * server while that task is in flight.
 */
import { Client, Connection } from '@temporalio/client';
import { createDataConverter } from '../../temporal/data-converter';

export interface SignalRequest {
  address: string;
  encryptionKey: string;
  workflowId: string;
  signal: string;
  arg: unknown;
}

async function main(request: SignalRequest): Promise<void> {
  const connection = await Connection.connect({ address: request.address });
  try {
    const client = new Client({ connection, dataConverter: createDataConverter(request.encryptionKey) });
    await client.workflow.getHandle(request.workflowId).signal(request.signal, request.arg);
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main(JSON.parse(process.argv[2] ?? '{}') as SignalRequest).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
