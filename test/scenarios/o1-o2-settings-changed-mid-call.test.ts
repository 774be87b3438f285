/**
 * O1, O2, settings edited while a call is in flight: a call decides with the settings it read when it started
 * (workflows/call-workflow.ts reads the CRM context once). An admin switching to `update-existing` (O2) after
 * callmatrix made a ringing call's O1 records must not leave them half done: the open "call the client back if still
 * open" task made at ringing is completed when the answered call ends, and nothing else is created.
 */
import { eventually, expectCrm, incomingCall, ringing, runCall, settings, useScenarioHarness } from './scenario-kit';

const harness = useScenarioHarness();

it('O1, O2: records made while the call rang, then mode update-existing before the end → the early task is completed, nothing is created', async () => {
  const h = harness();
  settings(h, { matrix: { createBeforeCall: true } });
  const callId = h.uniqueCallId();
  const call = incomingCall(callId);
  await h.send('start', ringing(call));
  const early = await eventually(async () => (await h.records('Tasks'))[0]);
  expect(early).toMatchObject({ Status: 'Not Started' });

  settings(h, { matrix: { createBeforeCall: true, mode: 'update-existing' } });
  const view = await runCall(h, callId, [
    ['answer', { ...ringing(call), connected_with: 'ivan' }],
    ['end', call],
  ]);
  expect(view.status).toBe('written');

  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  expect(crm.Tasks[0]).toMatchObject({ id: early.id, Status: 'Completed' });
  expect(String(crm.Tasks[0].Description)).toContain(`Recording: https://records.example.com/${callId}.mp3`);
});
