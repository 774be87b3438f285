/**
 * Zoho refusing the data itself (INVALID_DATA) cannot be fixed by retrying: the call ends as failed, visible in
 * the Temporal UI with the field Zoho named, instead of retrying forever. With composite requests (issue 15) the
 * plan's writes are one transaction, so the refusal rolls the lead back too; with one request per record, the lead
 * written before the task stays, once, and the call's status lists it.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { startCallHarness, type CallHarness } from '../support/call-harness';

describe.each([
  ['composite requests on', true],
  ['composite requests off', false],
])('%s', (_mode, composite) => {
  let h: CallHarness;
  beforeAll(async () => {
    h = await startCallHarness({ composite });
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
    const leads = await h.records('Leads');
    if (composite) {
      expect(leads).toHaveLength(0);
      expect(view.written ?? []).toEqual([]);
    } else {
      expect(leads).toHaveLength(1);
      expect(view.written).toEqual([{ operation: 'lead', module: 'Leads', id: leads[0].id, created: true }]);
    }
    expect(await h.records('Tasks')).toHaveLength(0);
  });
});
