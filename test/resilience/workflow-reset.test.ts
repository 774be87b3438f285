/**
 * An operator resets a finished call's workflow in the Temporal UI (or `temporal workflow reset`) to its first
 * workflow task: the new run looks the caller up again, finds the lead the first run created, plans the
 * existing-client scenario, and re-runs the writes as first attempts. Nothing may be written twice.
 */
import { CLIENT, endOnly, expectCrm, incomingCall, ringing, runCall, settings, useScenarioHarness } from '../scenarios/scenario-kit';
import type { CallStatusView } from '../../temporal/call-status';
import { callWorkflowId } from '../../temporal/contracts';
import { resetToFirstWorkflowTask } from '../support/workflow-reset';

const harness = useScenarioHarness();

it('M1, then a reset to the first workflow task: the new run finds the lead and the task the first run wrote; still one of each', async () => {
  const h = harness();
  const callId = h.uniqueCallId();
  const first = await endOnly(h, incomingCall(callId));
  expect(first).toMatchObject({ status: 'written', plan: { rule: 'M1' } });
  const before = await expectCrm(h, { Leads: 1, Tasks: 1 });

  const handle = h.temporal.workflow.getHandle(callWorkflowId('ringostat', callId));
  const second = (await (await resetToFirstWorkflowTask(h.temporal, handle, 'test: operator reset')).result()) as CallStatusView;

  // The client now exists, so the run plans the existing-client scenario; its task is the first run's.
  expect(second.status).toBe('written');
  expect(second.written.every((record) => !record.created)).toBe(true);
  const after = await expectCrm(h, { Leads: 1, Tasks: 1 });
  expect(after.Leads[0]).toMatchObject({ id: before.Leads[0].id, Phone: CLIENT });
  expect(after.Tasks[0]).toMatchObject({ id: before.Tasks[0].id });
});

it('O1, L2: the task made while the call rang, once completed, carries the marker of the task it became, so a reset run finds it; still one of each', async () => {
  const h = harness();
  // Handed over, so the reset run sees the answering manager's lead and plans M4 (the same task) rather than M5.
  settings(h, { matrix: { createBeforeCall: true, beforeCallOwner: 'answering-manager' } });
  const callId = h.uniqueCallId();
  const call = incomingCall(callId);
  const first = await runCall(h, callId, [
    ['start', ringing(call)],
    ['answer', { ...ringing(call), connected_with: 'ivan' }],
    ['end', call],
  ]);
  expect(first).toMatchObject({ status: 'written', plan: { rule: 'M1' } });
  const before = await expectCrm(h, { Leads: 1, Tasks: 1 });
  expect(before.Tasks[0]).toMatchObject({ Status: 'Completed' });
  expect(before.Tasks[0].Description).toMatch(/\ncallmatrix ref [0-9a-f]{24}$/);

  const handle = h.temporal.workflow.getHandle(callWorkflowId('ringostat', callId));
  const second = (await (await resetToFirstWorkflowTask(h.temporal, handle, 'test: operator reset')).result()) as CallStatusView;
  expect(second.status).toBe('written');
  const after = await expectCrm(h, { Leads: 1, Tasks: 1 });
  expect(after.Leads[0]).toMatchObject({ id: before.Leads[0].id });
  expect(after.Tasks[0]).toMatchObject({ id: before.Tasks[0].id, Status: 'Completed' });
});
