/**
 * Incoming calls answered, from a client who has a contact but no open lead or deal (M6, M7) — including clients
 * whose only deal is closed or whose lead was converted.
 */
import {
  CLIENT,
  created,
  endOnly,
  expectCrm,
  expectDueIn,
  incomingCall,
  linkedTo,
  owner,
  seedContact,
  seedDeal,
  seedLead,
  useScenarioHarness,
} from './scenario-kit';

const harness = useScenarioHarness();

it("M6: answered by the contact's owner → a new lead on him and a completed task linked to the lead and the contact", async () => {
  const h = harness();
  const contactId = await seedContact(h, { ownerId: h.users.ivan.id });
  const callId = h.uniqueCallId();
  const view = await endOnly(h, incomingCall(callId));
  expect(view).toMatchObject({ status: 'written', plan: { rule: 'M6' } });

  const crm = await expectCrm(h, { Contacts: 1, Leads: 1, Tasks: 1 });
  const [lead] = crm.Leads;
  expect(lead).toMatchObject({
    Phone: CLIENT,
    Last_Name: 'Call from +380 67 123 4567',
    Owner: owner(h.users.ivan.id),
    Lead_Source: 'Advertisement',
    rs_utm_source: 'google',
    rs_utm_medium: 'cpc',
    rs_utm_campaign: 'spring',
    rs_google_client_id: 'GA1.2.345',
  });
  expect(crm.Contacts[0]).toMatchObject({ id: contactId, Owner: owner(h.users.ivan.id) });
  const [task] = crm.Tasks;
  expect(task).toMatchObject({ Status: 'Completed', Owner: owner(h.users.ivan.id), ...linkedTo({ module: 'Leads', id: String(lead.id) }, contactId) });
  expect(task.Description).toContain(`Recording: https://records.example.com/${callId}.mp3`);
});

it("M7: answered by another manager → he owns the new lead and the completed task; the contact's owner gets an open task due in 3 hours", async () => {
  const h = harness();
  const contactId = await seedContact(h, { ownerId: h.users.maria.id });
  const before = Date.now();
  const view = await endOnly(h, incomingCall(h.uniqueCallId()));
  expect(view.plan?.rule).toBe('M7');

  const crm = await expectCrm(h, { Contacts: 1, Leads: 1, Tasks: 2 });
  const [lead] = crm.Leads;
  expect(lead).toMatchObject({ Phone: CLIENT, Owner: owner(h.users.ivan.id) });
  const links = linkedTo({ module: 'Leads', id: String(lead.id) }, contactId);
  const completed = crm.Tasks.find((task) => task.Status === 'Completed');
  const review = crm.Tasks.find((task) => task.Status === 'Not Started');
  expect(completed).toMatchObject({ Owner: owner(h.users.ivan.id), ...links });
  expect(review).toMatchObject({ Owner: owner(h.users.maria.id), ...links, Subject: `Review call from ${CLIENT} answered by Ivan Petrenko` });
  expectDueIn(review!, before, 180);
});

it('M6: a client whose only deal is closed is contact-only → a new lead, and the closed deal is left alone', async () => {
  const h = harness();
  const contactId = await seedContact(h, { ownerId: h.users.ivan.id });
  const dealId = await seedDeal(h, { contactId, ownerId: h.users.maria.id, stage: 'Closed Won' });
  const view = await endOnly(h, incomingCall(h.uniqueCallId()));
  expect(view.plan?.rule).toBe('M6');

  const crm = await expectCrm(h, { Contacts: 1, Deals: 1, Leads: 1, Tasks: 1 });
  expect(crm.Deals[0]).toMatchObject({ id: dealId, Stage: 'Closed Won', Owner: owner(h.users.maria.id) });
  expect(crm.Tasks[0]).toMatchObject({ Status: 'Completed', Owner: owner(h.users.ivan.id), ...linkedTo({ module: 'Leads', id: String(crm.Leads[0].id) }, contactId) });
});

it('M7: a converted lead is history — the call makes a new lead; the converted one keeps its owner and fields', async () => {
  const h = harness();
  const convertedId = await seedLead(h, { ownerId: h.users.andrii.id, fields: { Converted__s: true } });
  const contactId = await seedContact(h, { ownerId: h.users.andrii.id, phone: '067 123 45 67' });
  const view = await endOnly(h, incomingCall(h.uniqueCallId()));
  expect(view.plan?.rule).toBe('M7');

  const crm = await expectCrm(h, { Contacts: 1, Leads: 2, Tasks: 2 });
  const [lead] = created(crm, 'Leads', [convertedId]);
  expect(lead).toMatchObject({ Phone: CLIENT, Owner: owner(h.users.ivan.id), Converted__s: false });
  expect(crm.Leads.find((l) => l.id === convertedId)).toMatchObject({ Converted__s: true, Owner: owner(h.users.andrii.id), rs_utm_source: null });
  expect(crm.Tasks).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ Status: 'Completed', Owner: owner(h.users.ivan.id), ...linkedTo({ module: 'Leads', id: String(lead.id) }, contactId) }),
      expect.objectContaining({ Status: 'Not Started', Owner: owner(h.users.andrii.id), ...linkedTo({ module: 'Leads', id: String(lead.id) }, contactId) }),
    ]),
  );
});

it("C4, M6: a lead converted into the caller's contact is not open → the contact's owner answers and gets a new lead; the converted lead is untouched", async () => {
  const h = harness();
  const contactId = await seedContact(h, { ownerId: h.users.ivan.id });
  const convertedId = await seedLead(h, { ownerId: h.users.maria.id, fields: { Converted__s: true } });
  const view = await endOnly(h, incomingCall(h.uniqueCallId()));
  expect(view).toMatchObject({ status: 'written', plan: { rule: 'M6' } });

  const crm = await expectCrm(h, { Contacts: 1, Leads: 2, Tasks: 1 });
  const [lead] = created(crm, 'Leads', [convertedId]);
  expect(lead).toMatchObject({ Phone: CLIENT, Owner: owner(h.users.ivan.id), Converted__s: false });
  expect(crm.Leads.find((l) => l.id === convertedId)).toMatchObject({ Converted__s: true, Owner: owner(h.users.maria.id), rs_utm_source: null });
  expect(crm.Tasks[0]).toMatchObject({ Status: 'Completed', Owner: owner(h.users.ivan.id), ...linkedTo({ module: 'Leads', id: String(lead.id) }, contactId) });
});
