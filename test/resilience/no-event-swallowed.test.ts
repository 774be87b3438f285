/**
 * L2: no event is swallowed. A call whose workflow failed, was terminated (by an operator, or by Temporal at the
 * history size limit) or timed out runs again on its next event, instead of answering "call-already-finished";
 * what the closed run wrote is found by its idempotency marker and not written again. A completed call stays
 * completed.
 */
import { listCalls } from '../../temporal/list-calls';
import { callWorkflowId } from '../../temporal/contracts';
import { CLIENT, endOnly, eventually, expectCrm, incomingCall, ringing, settings, useScenarioHarness } from '../scenarios/scenario-kit';

// One request per record (issue 15): these faults and partial writes are about separate writes; a composite
// request rolls a refused plan back whole (test/zoho/composite-writes.test.ts, zoho-rejects-data.test.ts).
const harness = useScenarioHarness({ composite: false });

it('L2: a call terminated mid-way is listed as terminated, runs again on its re-sent end webhook, and writes each record once', async () => {
  const h = harness();
  const callId = h.uniqueCallId();
  // Zoho commits the task but its answer never arrives: the run is stuck there, the task already in the CRM.
  await h.admin.addFault({ kind: 'timeout-after-commit', delayMs: 3_000, match: { method: 'POST', module: 'Tasks' } });
  expect(await h.send('end', incomingCall(callId))).toMatchObject({ status: 200, body: { outcome: 'delivered' } });
  await eventually(async () => ((await h.records('Tasks')).length === 1 ? true : undefined));
  await h.temporal.workflow.getHandle(callWorkflowId('ringostat', callId)).terminate('test: an operator terminates the call');

  const terminated = await eventually(async () => {
    const rows = await listCalls(h.temporal, { status: 'terminated', limit: 10, taskQueue: h.taskQueue });
    return rows.length > 0 ? rows : undefined;
  });
  expect(terminated).toEqual([expect.objectContaining({ callId, status: 'terminated' })]);

  // The re-sent end webhook runs the call again; the new run finds the lead and the task the first one wrote.
  expect(await h.send('end', incomingCall(callId))).toMatchObject({ status: 200, body: { ok: true, outcome: 'delivered' } });
  const view = await h.result(callId);
  expect(view.status).toBe('written');
  expect(view.written.filter((record) => record.created)).toEqual([]);
  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  expect(crm.Leads[0]).toMatchObject({ Phone: CLIENT });
  expect(await listCalls(h.temporal, { status: 'terminated', limit: 10, taskQueue: h.taskQueue })).toEqual([]);
});

it('L2: a failed call runs again on its next event, without writing twice what it wrote before failing', async () => {
  const h = harness();
  const callId = h.uniqueCallId();
  await h.admin.addFault({ kind: 'error', status: 400, code: 'INVALID_DATA', count: 1, match: { method: 'POST', module: 'Tasks' } });
  await expect(endOnly(h, incomingCall(callId))).rejects.toThrow();
  await expectCrm(h, { Leads: 1 });

  expect(await h.send('end', incomingCall(callId))).toMatchObject({ status: 200, body: { outcome: 'delivered' } });
  expect(await h.result(callId)).toMatchObject({ status: 'written' });
  await expectCrm(h, { Leads: 1, Tasks: 1 });
});

it('L2: a completed call stays completed: a late re-send is answered "call-already-finished" and writes nothing', async () => {
  const h = harness();
  const callId = h.uniqueCallId();
  expect(await endOnly(h, incomingCall(callId))).toMatchObject({ status: 'written' });
  expect(await h.send('end', incomingCall(callId))).toMatchObject({ status: 200, body: { outcome: 'call-already-finished' } });
  await expectCrm(h, { Leads: 1, Tasks: 1 });
});

it('O1, L2: a call terminated after its ringing-time records runs again on its end webhook and completes them, as the first run would have: one lead, one task', async () => {
  const h = harness();
  settings(h, { matrix: { createBeforeCall: true } });
  const callId = h.uniqueCallId();
  const call = incomingCall(callId);
  expect(await h.send('start', ringing(call))).toMatchObject({ status: 200 });
  await eventually(async () => ((await h.records('Tasks')).length === 1 ? true : undefined));
  const ringing_ = await expectCrm(h, { Leads: 1, Tasks: 1 });
  await h.temporal.workflow.getHandle(callWorkflowId('ringostat', callId)).terminate('test: an operator terminates the call');

  // The new run has only the end event, and no before-call plan telling it what was made. Its lookup finds the
  // lead by the call's own marker and leaves it out (no M5 on it), and the O1 task with it: both are completed.
  expect(await h.send('end', call)).toMatchObject({ status: 200, body: { outcome: 'delivered' } });
  expect(await h.result(callId)).toMatchObject({ status: 'written', plan: { rule: 'M1' } });
  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  expect(crm.Leads[0]).toMatchObject({ id: ringing_.Leads[0].id, Phone: CLIENT });
  expect(crm.Tasks[0]).toMatchObject({ id: ringing_.Tasks[0].id, Status: 'Completed' });
});
