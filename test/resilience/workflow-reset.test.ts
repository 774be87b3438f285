/**
 * An operator resets a finished call's workflow in the Temporal UI (or `temporal workflow reset`) to its first
 * workflow task: the new run looks the caller up again, leaving out the records the first run created (by their
 * markers), so it plans what the first run planned, and re-runs the writes, each finding its committed record.
 * Nothing may be written twice, and nothing decided anew.
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

  // The lead is the run's own, left out of its lookup: the same scenario, with the first run's records.
  expect(second).toMatchObject({ status: 'written', plan: { rule: 'M1' } });
  expect(second.written.every((record) => !record.created)).toBe(true);
  const after = await expectCrm(h, { Leads: 1, Tasks: 1 });
  expect(after.Leads[0]).toMatchObject({ id: before.Leads[0].id, Phone: CLIENT });
  expect(after.Tasks[0]).toMatchObject({ id: before.Tasks[0].id });
});

it.each([
  ['handed over to the answering manager', { beforeCallOwner: 'answering-manager' }],
  ['kept by the senior manager', {}],
])('O1, L2: with the records made while the call rang %s, a reset run leaves its own lead out of its lookup and decides as the first run did (not M5 on that lead), finding the completed task by the marker of the task it became; still one of each', async (_, matrix) => {
  const h = harness();
  settings(h, { matrix: { createBeforeCall: true, ...matrix } });
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
  expect(second).toMatchObject({ status: 'written', plan: { rule: 'M1', scenario: first.plan!.scenario } });
  const after = await expectCrm(h, { Leads: 1, Tasks: 1 });
  expect(after.Leads[0]).toMatchObject({ id: before.Leads[0].id, Owner: before.Leads[0].Owner });
  expect(after.Tasks[0]).toMatchObject({ id: before.Tasks[0].id, Status: 'Completed' });
});
