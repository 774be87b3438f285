/**
 * L3: a call that failed because Zoho refused its data is retried once the admin has fixed the cause, with
 * `callmatrix calls retry`, run as an operator runs it; the records the failed run wrote are not written again.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { Runtime } from '@temporalio/worker';
import { listCalls } from '../../temporal/list-calls';
import { callWorkflowId } from '../../temporal/contracts';
import { endOnly, eventually, expectCrm, incomingCall, useScenarioHarness } from '../scenarios/scenario-kit';
import { useCallmatrixCli } from '../support/callmatrix-cli';

const cli = useCallmatrixCli();
// One request per record (issue 15): these faults and partial writes are about separate writes; a composite
// request rolls a refused plan back whole (test/zoho/composite-writes.test.ts, zoho-rejects-data.test.ts).
const harness = useScenarioHarness({ composite: false });

function callmatrix(...args: string[]): Promise<{ stdout: string }> {
  const h = harness();
  return cli.run(args, {
    env: { ...process.env, CALLMATRIX_TASK_QUEUE: h.taskQueue, TEMPORAL_NAMESPACE: 'default', LOG_LEVEL: 'error' },
  });
}

async function failedCall(): Promise<string> {
  const h = harness();
  const callId = h.uniqueCallId();
  // Zoho refuses the task until the admin fixes the cause (here: the emulator stops refusing).
  await h.admin.addFault({ kind: 'error', status: 400, code: 'INVALID_DATA', message: 'invalid data', match: { method: 'POST', module: 'Tasks' } });
  await expect(endOnly(h, incomingCall(callId))).rejects.toBeInstanceOf(WorkflowFailedError);
  await expectCrm(h, { Leads: 1 });
  await eventually(async () => ((await listCalls(h.temporal, { status: 'failed', limit: 10, taskQueue: h.taskQueue })).some((row) => row.callId === callId) ? true : undefined));
  return callId;
}

it('L3: `calls retry --status failed` after the fix writes the failed call, the lead it had written still once', async () => {
  const h = harness();
  const callId = await failedCall();
  await h.admin.clearFaults();

  const { stdout } = await callmatrix('calls', 'retry', '--status', 'failed', '--since', new Date(Date.now() - 3_600_000).toISOString());
  expect(stdout).toBe(`${callWorkflowId('ringostat', callId)}: retried: follow it with \`callmatrix calls\`\n`);
  expect(await h.result(callId)).toMatchObject({ status: 'written' });
  await expectCrm(h, { Leads: 1, Tasks: 1 });
  await eventually(async () => ((await listCalls(h.temporal, { status: 'failed', limit: 10, taskQueue: h.taskQueue })).length === 0 ? true : undefined));

  // Written now: a second retry changes nothing.
  expect((await callmatrix('calls', 'retry', callId)).stdout).toMatch(/: completed .*nothing to retry\n$/);
  await expectCrm(h, { Leads: 1, Tasks: 1 });
});

it('L3: the failure is logged once at error level, with the call id, rule, scenario and Zoho\'s refusal; `calls retry <call id>` before the fix fails it again and writes nothing twice; after it, the call is written', async () => {
  const h = harness();
  const logged = jest.spyOn(Runtime.instance().logger, 'log');
  let callId: string;
  let failures: unknown[][];
  try {
    callId = await failedCall();
    // The worker hands a workflow's log lines to the logger once its task is done: maybe just after the result.
    const failureLines = () => logged.mock.calls.filter(([level, message]) => level === 'ERROR' && message === 'call failed');
    failures = await eventually(async () => (failureLines().length > 0 ? failureLines() : undefined));
  } finally {
    logged.mockRestore();
  }
  expect(failures).toEqual([
    [
      'ERROR',
      'call failed',
      expect.objectContaining({
        callId,
        rule: 'M1',
        scenario: expect.any(String),
        cause: { type: 'ZohoValidationError', message: expect.stringMatching(/^Zoho rejected create Tasks record: INVALID_DATA .*\(invalid data\)$/) },
      }),
    ],
  ]);

  await callmatrix('calls', 'retry', callId);
  await expect(h.result(callId)).rejects.toBeInstanceOf(WorkflowFailedError);
  await expectCrm(h, { Leads: 1 });

  await h.admin.clearFaults();
  await callmatrix('calls', 'retry', callId);
  expect(await h.result(callId)).toMatchObject({ status: 'written' });
  await expectCrm(h, { Leads: 1, Tasks: 1 });
});
