/** Incoming calls nobody answered: a callback for the responsible manager (M8), or a lead and a callback (M9). */
import { CLIENT, endOnly, expectCrm, expectDueIn, linkedTo, missedCall, owner, seedContact, seedDeal, seedLead, settings, useScenarioHarness } from './scenario-kit';

const harness = useScenarioHarness();

it('M8: existing client with an open lead → an open "call back" task on the lead owner, due after the callback delay; nothing else', async () => {
  const h = harness();
  const leadId = await seedLead(h, { ownerId: h.users.maria.id });
  const before = Date.now();
  const view = await endOnly(h, missedCall(h.uniqueCallId()));
  expect(view).toMatchObject({ status: 'written', plan: { rule: 'M8' } });

  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  const [task] = crm.Tasks;
  expect(task).toMatchObject({
    Subject: `Call back ${CLIENT}: missed call`,
    Status: 'Not Started',
    Owner: owner(h.users.maria.id),
    ...linkedTo({ module: 'Leads', id: leadId }),
  });
  expect(task.Description).toContain('Call: incoming, missed');
  expectDueIn(task, before, 60);
});

it("M8: an open deal → the callback goes to the deal's owner, in the deal and with its contact", async () => {
  const h = harness();
  const contactId = await seedContact(h, { ownerId: h.users.maria.id });
  const dealId = await seedDeal(h, { contactId, ownerId: h.users.andrii.id });
  const view = await endOnly(h, missedCall(h.uniqueCallId()));
  expect(view.plan?.rule).toBe('M8');

  const crm = await expectCrm(h, { Contacts: 1, Deals: 1, Tasks: 1 });
  expect(crm.Tasks[0]).toMatchObject({ Status: 'Not Started', Owner: owner(h.users.andrii.id), ...linkedTo({ module: 'Deals', id: dealId }, contactId) });
});

it("M8: only a contact → the callback goes to the contact's owner, linked to the contact; no lead is made", async () => {
  const h = harness();
  settings(h, { tasks: { callbackDueMinutes: 15 } });
  const contactId = await seedContact(h, { ownerId: h.users.andrii.id });
  const before = Date.now();
  const view = await endOnly(h, missedCall(h.uniqueCallId()));
  expect(view.plan?.rule).toBe('M8');

  const crm = await expectCrm(h, { Contacts: 1, Tasks: 1 });
  expect(crm.Tasks[0]).toMatchObject({ Status: 'Not Started', Owner: owner(h.users.andrii.id), ...linkedTo(null, contactId) });
  expectDueIn(crm.Tasks[0], before, 15);
});

it('M9: new client → a lead on the senior manager with the UTM fields and an open callback task on her, linked to it', async () => {
  const h = harness();
  const before = Date.now();
  const view = await endOnly(h, missedCall(h.uniqueCallId(), { connected_with: 'maria' }));
  expect(view.plan?.rule).toBe('M9');

  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  const [lead] = crm.Leads;
  // The employee whose phone rang owns nothing: the senior manager does.
  expect(lead).toMatchObject({
    Phone: CLIENT,
    Owner: owner(h.users.senior.id),
    Lead_Source: 'Advertisement',
    rs_utm_source: 'google',
    rs_utm_medium: 'cpc',
    rs_utm_campaign: 'spring',
    rs_google_client_id: 'GA1.2.345',
  });
  const [task] = crm.Tasks;
  expect(task).toMatchObject({ Subject: `Call back ${CLIENT}: missed call`, Status: 'Not Started', Owner: owner(h.users.senior.id), ...linkedTo({ module: 'Leads', id: String(lead.id) }) });
  expectDueIn(task, before, 60);
});
