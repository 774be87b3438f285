/**
 * Issue 14 (keys): rotating CALLMATRIX_ENCRYPTION_KEY twice, as the README's recipe does, loses no call. Calls are
 * written before, between and after the rotations, one of them spanning each rotation (its first event under the
 * old key, its last under the new one). The activation file is sealed again under each new key, so it still opens
 * once the oldest key is dropped. A reused key id is refused at start, naming the variable.
 */
import crypto from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { openActivationStore } from '../../activation/credential-store';
import { createActivities } from '../../activities';
import { localSecrets, requiredSecrets } from '../../cli/local-secrets';
import type { CallEvent } from '../../common/call-event';
import { loadEnvironment } from '../../config/environment';
import { deliverCallEvent } from '../../temporal/deliver-call-event';
import { deploymentCallerKey } from '../../temporal/caller-key';
import { callWorkflowId, workflowTypes } from '../../temporal/contracts';
import { createDataConverter } from '../../temporal/data-converter';
import { renewLongLivedWorkflows } from '../../temporal/renew-long-lived-workflows';
import { createCallWorker } from '../../worker/create-worker';
import { createZohoClient } from '../../zoho';
// The harness module also quiets the workers' runtime logger.
import { demoSettings } from '../support/call-harness';
import { startEmulatedOrg, type EmulatedOrg } from '../support/emulated-org';

const silent = pino({ level: 'silent' });
const key = (id: string) => `${id}:${crypto.randomBytes(32).toString('base64')}`;

describe('encryption key rotation', () => {
  let org: EmulatedOrg;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  const taskQueue = `test-${crypto.randomUUID()}`;
  beforeAll(async () => {
    org = await startEmulatedOrg();
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    nativeConnection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  });
  /** Deployments not stopped yet: a failed assertion must not leave a worker running, or jest waits on it. */
  const running = new Set<{ stop(): Promise<void> }>();
  afterEach(async () => {
    for (const live of running) await live.stop();
  });
  afterAll(async () => {
    await nativeConnection.close();
    await connection.close();
    await org.close();
  });

  /** What a deployment restarted with these keys runs: the activation store, a worker, and the shim's client. */
  async function deployment(current: string, previous: string[]) {
    const activation = await openActivationStore({ dataDir: org.dataDir, encryptionKey: current, previousEncryptionKeys: previous, logger: silent });
    const dataConverter = createDataConverter(current, previous);
    const temporal = new Client({ connection, namespace: 'default', dataConverter });
    const zoho = createZohoClient({ credentials: activation, logger: silent });
    const settings = demoSettings(org.users);
    const worker = await createCallWorker({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      activities: createActivities({ zoho, settings: () => settings, integration: activation, logger: silent, temporal, taskQueue, callerKey: await deploymentCallerKey(activation, current) }),
      dataConverter,
      workflowBundlePath: process.env.CALLMATRIX_TEST_WORKFLOW_BUNDLE!,
    });
    const run = worker.run();
    const stop = async () => {
      running.delete(deployed);
      worker.shutdown();
      await run;
    };
    const deployed = { stop };
    running.add(deployed);
    // As every worker does at start (app/worker.ts): the callers' shards continue under this deployment's keys.
    await renewLongLivedWorkflows(temporal, taskQueue);
    return {
      activation,
      temporal,
      async send(callId: string, moment: 'start' | 'end', caller: string) {
        await deliverCallEvent(temporal, taskQueue, callEvent(callId, moment, caller));
      },
      async finished(callId: string) {
        await temporal.workflow.getHandle(callWorkflowId('ringostat', callId)).result();
      },
      stop,
    };
  }

  /** Waits until every running callers' shard of the deployment is a run started at `since` or later. */
  async function expectShardsStartedSince(temporal: Client, since: Date) {
    const query = `TaskQueue = "${taskQueue}" AND WorkflowType = "${workflowTypes.callerQueueShard}" AND ExecutionStatus = "Running" AND StartTime < "${since.toISOString()}"`;
    const deadline = Date.now() + 15_000;
    while ((await temporal.workflow.count(query)).count > 0) {
      if (Date.now() > deadline) throw new Error('callers\' shards started before the rotation still run');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it('L2, M17: keeps every call and the activation readable through two rotations, the callers\' shards renewed at each', async () => {
    // The org's activation was sealed under its own key: that is the first key.
    const [k1, k2, k3] = [org.encryptionKey, key('k20260201'), key('k20260301')];
    const callers = ['+380671000001', '+380671000002', '+380671000003', '+380671000004', '+380671000005'];
    const ids = callers.map((_, i) => `rotation-${Date.now()}-${i}`);

    const first = await deployment(k1, []);
    await first.send(ids[0], 'end', callers[0]); // before any rotation
    await first.finished(ids[0]);
    await first.send(ids[1], 'start', callers[1]); // spans the first rotation
    await first.stop();

    const rotatedAt = new Date();
    const second = await deployment(k2, [k1]); // first rotation: k1 kept for reading
    // The shards the first deployment started run again from a state written under k2: k1 can go later.
    await expectShardsStartedSince(second.temporal, rotatedAt);
    await second.send(ids[1], 'end', callers[1]);
    await second.finished(ids[1]);
    await second.send(ids[2], 'end', callers[2]); // between the rotations
    await second.finished(ids[2]);
    await second.send(ids[3], 'start', callers[3]); // spans the second rotation
    await second.stop();

    const third = await deployment(k3, [k2]); // second rotation: k1 dropped, as the README says to do later
    expect(third.activation.connection()?.clientId).toBeDefined();
    await third.send(ids[3], 'end', callers[3]);
    await third.finished(ids[3]);
    await third.send(ids[4], 'end', callers[4]); // after both rotations
    await third.finished(ids[4]);
    await third.stop();

    // One lead per caller (a new client's answered call: M1), each found by its number.
    const leads = await org.admin.records('Leads');
    for (const caller of callers) expect(leads.filter((lead) => lead.Phone === caller)).toHaveLength(1);
    // Opened with the newest key alone, the activation file still reads.
    const latest = await openActivationStore({ dataDir: org.dataDir, encryptionKey: k3, logger: silent });
    expect(latest.connection()?.clientId).toBeDefined();
  });

  it('refuses at start a previous key whose id the current key already uses, naming the variable', () => {
    const env = { CALLMATRIX_WEBHOOK_SECRET: 'a-webhook-secret-of-length', CALLMATRIX_ENCRYPTION_KEY: key('k1'), CALLMATRIX_ENCRYPTION_KEYS_PREVIOUS: key('k1') };
    expect(() => requiredSecrets(loadEnvironment(env))).toThrow(/CALLMATRIX_ENCRYPTION_KEYS_PREVIOUS: key id "k1" is already used by CALLMATRIX_ENCRYPTION_KEY/);
    const twice = { ...env, CALLMATRIX_ENCRYPTION_KEY: key('k3'), CALLMATRIX_ENCRYPTION_KEYS_PREVIOUS: `${key('k2')},${key('k2')}` };
    expect(() => localSecrets(loadEnvironment({ ...twice, CALLMATRIX_DATA_DIR: org.dataDir }))).toThrow(/key id "k2" is already used by another key in it/);
  });
});

function callEvent(callId: string, moment: 'start' | 'end', caller: string): CallEvent {
  const now = new Date().toISOString();
  const base = { provider: 'ringostat', callId, receivedAt: now, startedAt: now, direction: 'incoming' as const, clientNumber: caller, companyNumber: '+380442000000', visit: {}, parameters: {} };
  return moment === 'start'
    ? { ...base, moment }
    : { ...base, moment, employee: { extension: '101' }, outcome: 'answered', talkSeconds: 42, durationSeconds: 50 };
}
