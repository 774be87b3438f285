/**
 * Zoho refuses one record, not the authorisation: the authorising user may not change a callback task that another
 * manager owns (record sharing, a territory), and Zoho answers CANNOT_PERFORM_ACTION for that record (its
 * documented per-record refusal). Re-activating as the same user could not help, so the integration is not marked
 * broken (R1) and no other call waits for it: the call whose plan closes that task (C3) fails, naming the record and
 * what to do, where `callmatrix calls` and the `call failed` line show failures; once the admin gives access,
 * `calls retry` writes it, each record once (L3). With composite requests the refused update rolls the call's other
 * write back; with one request per record the task written before it stays, once.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { retryCall } from '../../cli/calls-command';
import { listCalls } from '../../temporal/list-calls';
import { callWorkflowId } from '../../temporal/contracts';
import { endOnly, eventually, incomingCall, missedCall, outgoingCall, seedLead, useScenarioHarness } from '../scenarios/scenario-kit';

describe.each([
  ['composite requests on', true],
  ['composite requests off', false],
])('%s', (_mode, composite) => {
  const harness = useScenarioHarness({ composite });

  it('R1, C3, L3: a callback task the authorising user may not change fails only the call that closes it, naming the task; the other calls are written and the integration stays connected', async () => {
    const h = harness();
    await seedLead(h, { ownerId: h.users.maria.id });
    expect((await endOnly(h, missedCall(h.uniqueCallId()))).plan?.rule).toBe('M8');
    const callback = (await h.records('Tasks')).find((task) => String(task.Subject).startsWith('Call back'))!;
    const callbackId = String(callback.id);
    // Maria's tasks are shared read-only with the user who authorised the integration.
    await h.admin.setReadOnly('Tasks', callbackId);

    const refusedCallId = h.uniqueCallId();
    const failure = await endOnly(h, outgoingCall(refusedCallId)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    // Zoho's refusal, as the Temporal UI, `calls show` and the `call failed` line give it.
    const reason = String((failure as WorkflowFailedError).cause?.cause);
    expect(reason).toContain(`update Tasks record ${callbackId}: CANNOT_PERFORM_ACTION`);
    expect(reason).toMatch(/the authorising Zoho user may not change this record.*callmatrix calls retry/);
    expect(await h.status(refusedCallId)).toMatchObject({ status: 'failed', plan: { rule: 'M10' } });
    await eventually(async () => ((await listCalls(h.temporal, { status: 'failed', limit: 10, taskQueue: h.taskQueue })).some((row) => row.callId === refusedCallId) ? true : undefined));

    // Not an authorisation failure: nothing suspends, and the calls after it reach the CRM.
    expect(h.activation.broken()).toBeUndefined();
    const otherClient = '+380509876543';
    expect(await endOnly(h, incomingCall(h.uniqueCallId(), { caller: otherClient }))).toMatchObject({ status: 'written', plan: { rule: 'M1' } });
    const [otherLead] = (await h.records('Leads')).filter((lead) => lead.Phone === otherClient);
    expect(otherLead).toBeDefined();
    expect((await h.records('Tasks')).filter((task) => (task.What_Id as { id?: string } | null)?.id === otherLead.id)).toHaveLength(1);
    expect(h.activation.broken()).toBeUndefined();
    expect((await h.records('Tasks')).find((task) => task.id === callbackId)).toMatchObject({ Status: 'Not Started' });

    // The admin gives the user access to the task; the retried call closes it and writes each record once.
    await h.admin.setReadOnly('Tasks', callbackId, false);
    await retryCall(h.temporal, callWorkflowId('ringostat', refusedCallId));
    expect(await h.result(refusedCallId)).toMatchObject({ status: 'written' });
    const tasks = await h.records('Tasks');
    expect(tasks.find((task) => task.id === callbackId)).toMatchObject({ Status: 'Completed' });
    // The missed call's callback, the retried call's completed task (once), and the other client's task.
    expect(tasks).toHaveLength(3);
  });
});
