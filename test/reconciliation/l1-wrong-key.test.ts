/**
 * L1: a wrong Ringostat API key stops a scheduled reconciliation run at once: the run fails with CallLogRefused
 * after a single request (no retry storm), and nothing is started. The next scheduled run asks again.
 */
import crypto from 'node:crypto';
import { ringostatTime, startRingostatEmulator, type RingostatEmulator } from '@callmatrix/ringostat-emulator';
import { WorkflowFailedError } from '@temporalio/client';
import { workflowTypes } from '../../temporal/contracts';
import { ringostatAdapter } from '../../telephony/ringostat';
import { startCallHarness, type CallHarness } from '../support/call-harness';
import { incomingCall } from '../scenarios/scenario-kit';

let ringostat: RingostatEmulator;
let h: CallHarness;
beforeAll(async () => {
  ringostat = await startRingostatEmulator({ apiKey: 'the-right-key' });
  h = await startCallHarness({ callLog: ringostatAdapter.openCallLog!({ apiUrl: ringostat.url, apiKey: 'a-wrong-key', retryDelayMs: 10 }), reconciliationOnDemand: true });
});
afterAll(async () => {
  await h?.stop();
  await ringostat?.close();
});

it('L1: a wrong key fails the run with CallLogRefused after one request, and starts nothing', async () => {
  const callId = h.uniqueCallId();
  ringostat.addCalls([{ ...incomingCall(callId), uniqueid: callId, calldate: ringostatTime(new Date(Date.now() - 10 * 60_000)) }]);
  const asked = ringostat.requests().length;
  const run = h.temporal.workflow.execute(workflowTypes.reconciliation, { taskQueue: h.taskQueue, workflowId: `test-reconciliation-${crypto.randomUUID()}` });
  const failure = await run.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect((failure as WorkflowFailedError).cause?.cause).toMatchObject({ type: 'CallLogRefused', message: expect.stringContaining('RINGOSTAT_API_KEY') });
  expect(ringostat.requests().slice(asked).map((r) => r.status)).toEqual([401]);
  await expect(h.status(callId)).rejects.toThrow(/not found/i);
  expect(await h.records('Leads')).toEqual([]);
});
