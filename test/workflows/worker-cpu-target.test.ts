/**
 * CALLMATRIX_WORKER_CPU_TARGET: a worker on Temporal's resource-based tuner writes calls like one with fixed
 * slots (the tuner only decides when it takes new work).
 */
import { demoSettings, startCallHarness, type CallHarness } from '../support/call-harness';

let h: CallHarness;
beforeAll(async () => {
  h = await startCallHarness({ workerCpuTarget: 0.95 });
  h.setSettings(demoSettings(h.users));
});
afterAll(async () => h?.stop());

it('M1 through a worker with a CPU target: the lead and the completed task are written', async () => {
  const callId = h.uniqueCallId();
  const phone = '+380671230099';
  await h.send('end', { uniqueid: callId, call_type: 'in', caller: phone, disposition: 'ANSWERED', billsec: '42', connected_with: 'ivan' });
  expect(await h.result(callId)).toMatchObject({ status: 'written', plan: { rule: 'M1' } });
  const [lead] = await h.records('Leads');
  expect(lead).toMatchObject({ Phone: phone, Owner: expect.objectContaining({ id: h.users.ivan.id }) });
  expect(await h.records('Tasks')).toEqual([expect.objectContaining({ Status: 'Completed', What_Id: expect.objectContaining({ id: lead.id }) })]);
});
