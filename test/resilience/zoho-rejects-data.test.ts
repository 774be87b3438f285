/**
 * Zoho refusing the data itself (INVALID_DATA) cannot be fixed by retrying: the call ends as failed, visible in
 * the Temporal UI with the field Zoho named, instead of retrying forever.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { startCallHarness, type CallHarness } from '../support/call-harness';

let h: CallHarness;
beforeAll(async () => {
  h = await startCallHarness();
});
afterAll(async () => h?.stop());

it('a write Zoho rejects as invalid ends the call as failed, naming the field', async () => {
  await h.admin.addFault({ kind: 'error', status: 400, code: 'INVALID_DATA', count: 1, match: { method: 'POST', module: 'Tasks' } });
  const callId = h.uniqueCallId();
  await h.send('end', { uniqueid: callId, call_type: 'in', caller: '+380671112299', disposition: 'ANSWERED', billsec: '20', connected_with: 'ivan' });
  const failure = await h.result(callId).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect(String((failure as WorkflowFailedError).cause?.cause)).toMatch(/INVALID_DATA/);
  const view = await h.status(callId);
  expect(view.status).toBe('failed');
  // The lead was written before the task failed; no second attempt duplicated anything, and the call's status
  // lists it.
  const leads = await h.records('Leads');
  expect(leads).toHaveLength(1);
  expect(view.written).toEqual([{ operation: 'lead', module: 'Leads', id: leads[0].id, created: true }]);
  expect(await h.records('Tasks')).toHaveLength(0);
});
