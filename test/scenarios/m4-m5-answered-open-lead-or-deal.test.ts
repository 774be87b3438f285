/**
 * Incoming calls answered, from a client with an open lead or deal (M4, M5), and answered on a line that belongs
 * to no employee (M3): webhooks through the real shim and Temporal into the emulator; assertions on the final CRM.
 */
import {
  CLIENT,
  endOnly,
  expectCrm,
  expectDueIn,
  incomingCall,
  linkedTo,
  minutesAgo,
  owner,
  seedContact,
  seedDeal,
  seedLead,
  useScenarioHarness,
} from './scenario-kit';

const harness = useScenarioHarness();

describe('existing client with an open lead or deal, answered', () => {
  it('M4: answered by the lead owner → one completed task with the recording in that lead; the lead is left as it was', async () => {
    const h = harness();
    const leadId = await seedLead(h, { ownerId: h.users.ivan.id });
    const callId = h.uniqueCallId();
    const view = await endOnly(h, incomingCall(callId));
    expect(view).toMatchObject({ status: 'written', plan: { rule: 'M4' } });

    const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
    expect(crm.Leads[0]).toMatchObject({ id: leadId, Owner: owner(h.users.ivan.id), Last_Name: 'Existing lead', rs_utm_source: null });
    const [task] = crm.Tasks;
    expect(task).toMatchObject({ Status: 'Completed', Owner: owner(h.users.ivan.id), ...linkedTo({ module: 'Leads', id: leadId }) });
    expect(task.Description).toContain(`Recording: https://records.example.com/${callId}.mp3`);
    expect(task.Description).toContain('Call: incoming, answered (talk 0:42, total 0:50)');
  });

  it("M4: an open deal's owner answers → the task goes into the deal and to the deal's contact", async () => {
    const h = harness();
    const contactId = await seedContact(h, { ownerId: h.users.maria.id });
    const dealId = await seedDeal(h, { contactId, ownerId: h.users.ivan.id });
    const view = await endOnly(h, incomingCall(h.uniqueCallId()));
    expect(view.plan?.rule).toBe('M4');

    const crm = await expectCrm(h, { Contacts: 1, Deals: 1, Tasks: 1 });
    expect(crm.Tasks[0]).toMatchObject({ Status: 'Completed', Owner: owner(h.users.ivan.id), ...linkedTo({ module: 'Deals', id: dealId }, contactId) });
  });

  it('M4: of several open leads, the one owned by the manager on the call is chosen (no review of his own call)', async () => {
    const h = harness();
    await seedLead(h, { ownerId: h.users.maria.id, createdTime: minutesAgo(10) });
    const ivansLead = await seedLead(h, { ownerId: h.users.ivan.id, createdTime: minutesAgo(60), fields: { Mobile: '0671234567', Phone: null } });
    const view = await endOnly(h, incomingCall(h.uniqueCallId()));
    expect(view.plan?.rule).toBe('M4');

    const crm = await expectCrm(h, { Leads: 2, Tasks: 1 });
    expect(crm.Tasks[0]).toMatchObject({ Status: 'Completed', Owner: owner(h.users.ivan.id), ...linkedTo({ module: 'Leads', id: ivansLead }) });
  });

  it('M5: answered by another manager → completed task on the answering manager, open review task due in 3 hours on the owner', async () => {
    const h = harness();
    const leadId = await seedLead(h, { ownerId: h.users.maria.id });
    const before = Date.now();
    const view = await endOnly(h, incomingCall(h.uniqueCallId()));
    expect(view.plan?.rule).toBe('M5');

    const crm = await expectCrm(h, { Leads: 1, Tasks: 2 });
    expect(crm.Leads[0]).toMatchObject({ id: leadId, Owner: owner(h.users.maria.id) });
    const completed = crm.Tasks.find((task) => task.Status === 'Completed')!;
    const review = crm.Tasks.find((task) => task.Status === 'Not Started')!;
    expect(completed).toMatchObject({ Owner: owner(h.users.ivan.id), ...linkedTo({ module: 'Leads', id: leadId }) });
    expect(review).toMatchObject({ Owner: owner(h.users.maria.id), ...linkedTo({ module: 'Leads', id: leadId }) });
    expect(review.Subject).toBe(`Review call from ${CLIENT} answered by Ivan Petrenko`);
    expect(review.Description).toContain('Recording: https://records.example.com/');
    expectDueIn(review, before, 180);
  });

  it("M5: another manager answers a deal's client → both tasks in the deal, with the deal's contact", async () => {
    const h = harness();
    const contactId = await seedContact(h, { ownerId: h.users.andrii.id });
    const dealId = await seedDeal(h, { contactId, ownerId: h.users.andrii.id, pipeline: 'New', stage: 'In Progress' });
    const view = await endOnly(h, incomingCall(h.uniqueCallId(), { connected_with: '102' }));
    expect(view.plan?.rule).toBe('M5');

    const crm = await expectCrm(h, { Contacts: 1, Deals: 1, Tasks: 2 });
    const links = linkedTo({ module: 'Deals', id: dealId }, contactId);
    expect(crm.Tasks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Status: 'Completed', Owner: owner(h.users.maria.id), ...links }),
        expect.objectContaining({ Status: 'Not Started', Owner: owner(h.users.andrii.id), ...links }),
      ]),
    );
  });
});

describe('answered on a line that belongs to no employee', () => {
  it('M3: new client → the lead goes to the senior manager with an open "check integration settings" task on her', async () => {
    const h = harness();
    const before = Date.now();
    const view = await endOnly(h, incomingCall(h.uniqueCallId(), { connected_with: 'olga.sip' }));
    expect(view.plan?.rule).toBe('M3');

    const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
    const [lead] = crm.Leads;
    expect(lead).toMatchObject({ Phone: CLIENT, Owner: owner(h.users.senior.id), rs_utm_source: 'google' });
    const [task] = crm.Tasks;
    expect(task).toMatchObject({
      Subject: "Check integration settings: call answered on SIP 'olga.sip'",
      Status: 'Not Started',
      Owner: owner(h.users.senior.id),
      ...linkedTo({ module: 'Leads', id: String(lead.id) }),
    });
    expect(task.Description).toContain('Recording: https://records.example.com/');
    expectDueIn(task, before, 180);
  });

  it("M3: existing client → the settings task on the senior manager and the owner's review task; nobody gets a completed task", async () => {
    const h = harness();
    const leadId = await seedLead(h, { ownerId: h.users.maria.id });
    const view = await endOnly(h, incomingCall(h.uniqueCallId(), { connected_with: '+380931110000' }));
    expect(view.plan?.rule).toBe('M3');

    const crm = await expectCrm(h, { Leads: 1, Tasks: 2 });
    const links = linkedTo({ module: 'Leads', id: leadId });
    expect(crm.Tasks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Subject: 'Check integration settings: call answered on number +380931110000', Status: 'Not Started', Owner: owner(h.users.senior.id), ...links }),
        expect.objectContaining({ Status: 'Not Started', Owner: owner(h.users.maria.id), ...links }),
      ]),
    );
  });
});
