/** Calls the CRM must not hear about (M15 internal) and transferred calls, recorded for the first manager only (M16). */
import { CLIENT, endOnly, expectCrm, incomingCall, linkedTo, owner, ringing, runCall, settings, useScenarioHarness } from './scenario-kit';
import { demoSettings } from '../support/call-harness';

const harness = useScenarioHarness();

describe('internal calls', () => {
  it('M15: a call the telephony reports as internal writes nothing', async () => {
    const h = harness();
    const view = await endOnly(h, incomingCall(h.uniqueCallId(), { call_type: 'internal', caller: '101', dst: '102', connected_with: 'maria' }));
    expect(view).toMatchObject({ status: 'ignored', plan: { rule: 'M15', operations: [] } });
    await expectCrm(h, {});
  });

  it("M15: an \"incoming\" call from a colleague's extension writes nothing", async () => {
    const h = harness();
    const view = await endOnly(h, incomingCall(h.uniqueCallId(), { caller: '103' }));
    expect(view).toMatchObject({ status: 'ignored', plan: { rule: 'M15' } });
    await expectCrm(h, {});
  });

  it("M15: an \"incoming\" call from a colleague's mobile, in any format, writes nothing", async () => {
    const h = harness();
    const base = demoSettings(h.users);
    settings(h, { employees: base.employees.map((e) => (e.code === '102' ? { ...e, phones: ['+380501112233'] } : e)) });
    const view = await endOnly(h, incomingCall(h.uniqueCallId(), { caller: '050 111 22 33' }));
    expect(view).toMatchObject({ status: 'ignored', plan: { rule: 'M15' } });
    await expectCrm(h, {});
  });
});

describe('transferred calls', () => {
  it('M16: transferred from Ivan to Maria (connected_with lists both) → only Ivan gets the lead and the completed task', async () => {
    const h = harness();
    const callId = h.uniqueCallId();
    const view = await endOnly(h, incomingCall(callId, { connected_with: 'ivan, maria' }));
    expect(view.plan?.rule).toBe('M1');

    const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
    expect(crm.Leads[0]).toMatchObject({ Phone: CLIENT, Owner: owner(h.users.ivan.id) });
    const [task] = crm.Tasks;
    expect(task).toMatchObject({ Status: 'Completed', Owner: owner(h.users.ivan.id), ...linkedTo({ module: 'Leads', id: String(crm.Leads[0].id) }) });
    expect(task.Description).toContain("Transferred afterwards: this records the first employee's conversation only.");
    expect(task.Description).toContain('Answered by: Ivan Petrenko');
    expect(task.Description).toContain(`Recording: https://records.example.com/${callId}.mp3`);
  });

  it('M16: answered by Ivan, the end event names Maria after the transfer → the call stays Ivan\'s', async () => {
    const h = harness();
    const callId = h.uniqueCallId();
    const call = incomingCall(callId);
    const start = ringing(call);
    const view = await runCall(h, callId, [
      ['start', start],
      ['answer', { ...start, connected_with: 'ivan' }],
      ['end', { ...call, connected_with: 'maria', transferred: '1' }],
    ]);
    expect(view.plan?.rule).toBe('M1');

    const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
    expect(crm.Leads[0]).toMatchObject({ Owner: owner(h.users.ivan.id) });
    expect(crm.Tasks[0]).toMatchObject({ Status: 'Completed', Owner: owner(h.users.ivan.id) });
    expect(crm.Tasks[0].Description).toContain("Transferred afterwards: this records the first employee's conversation only.");
  });
});
