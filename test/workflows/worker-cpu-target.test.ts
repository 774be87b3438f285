/**
 * CALLMATRIX_WORKER_CPU_TARGET: the worker takes its work through Temporal's resource-based tuner at that target,
 * and writes calls like one with fixed slots (the tuner only decides when it takes new work).
 *
 * How much work the tuner takes depends on the host's CPU, which a test does not control (CI runs the suite on
 * two busy cores). So the setting is checked on the options the worker was built with, and the call only has to
 * be written: above the target the tuner still hands out its minimum slots, one task at a time, which is slower
 * but never stops, and the deadline of that test leaves room for it.
 */
import { demoSettings, startCallHarness, type CallHarness } from '../support/call-harness';

let h: CallHarness;
beforeAll(async () => {
  h = await startCallHarness({ workerCpuTarget: 0.95 });
  h.setSettings(demoSettings(h.users));
});
afterAll(async () => h?.stop());

it('the worker takes every kind of task through the resource-based tuner, at the CPU target', () => {
  const resourceBased = expect.objectContaining({ type: 'resource-based' });
  expect(h.worker().options.tuner).toMatchObject({
    resourceBasedTunerConfig: { type: 'options', targetCpuUsage: 0.95 },
    workflowTaskSlotSupplier: resourceBased,
    activityTaskSlotSupplier: resourceBased,
    localActivityTaskSlotSupplier: resourceBased,
  });
});

// A host above the target gets the tuner's minimum slots: the call takes longer, the suite's 60 s would be tight.
const ON_A_BUSY_HOST_MS = 180_000;

it(
  'M1 through a worker with a CPU target: the lead and the completed task are written',
  async () => {
    const callId = h.uniqueCallId();
    const phone = '+380671230099';
    await h.send('end', { uniqueid: callId, call_type: 'in', caller: phone, disposition: 'ANSWERED', billsec: '42', connected_with: 'ivan' });
    expect(await h.result(callId)).toMatchObject({ status: 'written', plan: { rule: 'M1' } });
    const [lead] = await h.records('Leads');
    expect(lead).toMatchObject({ Phone: phone, Owner: expect.objectContaining({ id: h.users.ivan.id }) });
    expect(await h.records('Tasks')).toEqual([expect.objectContaining({ Status: 'Completed', What_Id: expect.objectContaining({ id: lead.id }) })]);
  },
  ON_A_BUSY_HOST_MS,
);
