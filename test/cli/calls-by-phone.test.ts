/**
 * [Operations] "A customer says their call from this morning is not in the CRM": `callmatrix calls --phone <number>`
 * finds a client's calls by their number, typed the way the customer gives it, though no workflow id or search
 * attribute holds a number: by the CallerKey search attribute (the number keyed with the deployment's key), which it
 * prints for the Temporal UI, and for calls started without one (before it existed), by reading their history.
 * Calls go through the real shim into real Temporal and the Zoho emulator; the CLI runs in a process of its own,
 * configured like the deployment (its data folder, key and task queue).
 */
import path from 'node:path';
import { callWorkflowId, searchAttributes } from '../../temporal/contracts';
import { deliverCallEvent } from '../../temporal/deliver-call-event';
import { ringostatAdapter } from '../../telephony/ringostat';
import { startCallHarness, type CallHarness } from '../support/call-harness';
import { useCallmatrixCli } from '../support/callmatrix-cli';
import { incomingCall, outgoingCall } from '../scenarios/scenario-kit';

const cli = useCallmatrixCli();
const ROOT = path.resolve(__dirname, '../..');

let h: CallHarness;
beforeAll(async () => {
  h = await startCallHarness();
});
afterAll(async () => h?.stop());

async function calls(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
    CALLMATRIX_DATA_DIR: h.deployment.dataDir,
    CALLMATRIX_ENCRYPTION_KEY: h.deployment.encryptionKey,
    CALLMATRIX_TASK_QUEUE: h.taskQueue,
    LOG_LEVEL: 'warn',
  };
  // The example settings (telephony.defaultCountry UA) read the number typed without its country code.
  for (const name of ['ZOHO_CLIENT_ID', 'ZOHO_CLIENT_SECRET', 'ZOHO_REFRESH_TOKEN', 'CALLMATRIX_SETTINGS']) delete env[name];
  return cli.run(['calls', ...args], { cwd: ROOT, env });
}

const listed = (stdout: string) => stdout.trim().split('\n').map((line) => (JSON.parse(line) as { workflowId: string }).workflowId);

it('[Operations] --phone lists the calls with that client, incoming and outgoing, newest first; nobody else\'s', async () => {
  const digits = String(Date.now()).slice(-7);
  const client = `+38067${digits}`;
  const other = `+38050${digits}`;
  const [first, otherCall, callBack] = [h.uniqueCallId(), h.uniqueCallId(), h.uniqueCallId()];
  await h.send('end', incomingCall(first, { caller: client }));
  expect((await h.result(first)).status).toBe('written');
  await h.send('end', incomingCall(otherCall, { caller: other }));
  expect((await h.result(otherCall)).status).toBe('written');
  // Ringostat writes the number as digits without `+`.
  await h.send('end', outgoingCall(callBack, { dst: client.slice(1) }));
  expect((await h.result(callBack)).status).toBe('written');

  // As the customer says it: a national number with spaces.
  const { stdout, stderr } = await calls('--phone', `067 ${digits.slice(0, 3)} ${digits.slice(3)}`, '--json');
  expect(listed(stdout)).toEqual([callBack, first].map((id) => callWorkflowId('ringostat', id)));
  // The key it prints finds the same calls in the UI's search (visibility), and no history was read for them.
  const key = /CallerKey = "([0-9a-f]{32})"/.exec(stderr)?.[1];
  expect(key).toBeDefined();
  const inTheUi: string[] = [];
  for await (const execution of h.temporal.workflow.list({ query: `${searchAttributes.callerKey.name} = "${key}"` })) inTheUi.push(execution.workflowId);
  expect(inTheUi.sort()).toEqual([callBack, first].map((id) => callWorkflowId('ringostat', id)).sort());
  expect(stderr).toMatch(/also searched the history of the 0 calls without one since .* \(--since to look further back\)/);

  expect(listed((await calls('--phone', other, '--json')).stdout)).toEqual([callWorkflowId('ringostat', otherCall)]);
  // "This morning": --until bounds the listing as --since does; the call back started at its bound, so only the first is before it.
  const callBackStart = (JSON.parse(stdout.split('\n')[0]) as { startedAt: string }).startedAt;
  expect(listed((await calls('--phone', client, '--json', '--until', callBackStart)).stdout)).toEqual([callWorkflowId('ringostat', first)]);
});

it('[Operations] --phone finds a call started without a CallerKey, as before the attribute existed, by reading its history', async () => {
  const client = `+38063${String(Date.now()).slice(-7)}`;
  const callId = h.uniqueCallId();
  const converted = ringostatAdapter.toCallEvent({ moment: 'end', parameters: incomingCall(callId, { caller: client }), receivedAt: new Date() });
  if (!converted.ok) throw new Error('the call did not convert');
  await deliverCallEvent(h.temporal, h.taskQueue, converted.event);
  expect((await h.result(callId)).status).toBe('written');
  const { stdout, stderr } = await calls('--phone', client, '--json');
  expect(listed(stdout)).toEqual([callWorkflowId('ringostat', callId)]);
  expect(stderr).toMatch(/also searched the history of the [1-9]\d* calls? without one/);
});

it('[Operations] --phone refuses what is no phone number, naming the option, with exit code 2', async () => {
  await expect(calls('--phone', 'ivan')).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/--phone <number>.*'ivan' is not a phone number/),
  });
});
