/**
 * M17 beyond the article: no duplicates whatever format a number was typed in. Clients stored as `098 123 45 67`,
 * `380981234567`, `+38 (098) 123-45-67`… are found by a call from +380981234567 (and the other way round), and
 * what we create stores E.164, so the next call finds it too.
 */
import { created, endOnly, expectCrm, incomingCall, linkedTo, missedCall, owner, seedContact, seedLead, settings, useScenarioHarness } from './scenario-kit';

const harness = useScenarioHarness();
const E164 = '+380981234567';

const STORED_FORMATS = [
  '098 123 45 67',
  '0981234567',
  '380981234567',
  '+380981234567',
  '+38 (098) 123-45-67',
  '+38 098 123 45 67',
  '+38-098-123-4567',
  '(098) 123-45-67',
  '+38 098 123-45-67',
  '+380 98 123 45 67',
  '00380981234567',
];

describe('M17: a client stored in another format is the same client', () => {
  it.each(STORED_FORMATS)('M17: lead stored as "%s" → the call from +380981234567 goes into it; no second lead', async (stored) => {
    const h = harness();
    const leadId = await seedLead(h, { phone: stored, ownerId: h.users.maria.id });
    const view = await endOnly(h, missedCall(h.uniqueCallId(), { caller: E164 }));
    expect(view.plan?.rule).toBe('M8');

    const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
    expect(crm.Leads[0]).toMatchObject({ id: leadId, Phone: stored });
    expect(crm.Tasks[0]).toMatchObject({ Owner: owner(h.users.maria.id), ...linkedTo({ module: 'Leads', id: leadId }) });
  });

  it.each(['098 123 45 67', '380981234567', '+38 (098) 123-45-67'])(
    'M17: contact stored as "%s" (in Mobile) → found; the call makes the lead of M6, never a second contact',
    async (stored) => {
      const h = harness();
      const contactId = await seedContact(h, { phone: stored, ownerId: h.users.ivan.id });
      const view = await endOnly(h, incomingCall(h.uniqueCallId(), { caller: '0981234567' }));
      expect(view.plan?.rule).toBe('M6');

      const crm = await expectCrm(h, { Contacts: 1, Leads: 1, Tasks: 1 });
      expect(crm.Leads[0]).toMatchObject({ Phone: E164, Owner: owner(h.users.ivan.id) });
      expect(crm.Tasks[0]).toMatchObject(linkedTo({ module: 'Leads', id: String(crm.Leads[0].id) }, contactId));
    },
  );

  it.each(['0981234567', '380981234567', '+38 (098) 123-45-67'])('M17: a caller sent as "%s" finds the lead stored in E.164', async (caller) => {
    const h = harness();
    const leadId = await seedLead(h, { phone: E164, ownerId: h.users.ivan.id });
    const view = await endOnly(h, incomingCall(h.uniqueCallId(), { caller }));
    expect(view.plan?.rule).toBe('M4');
    const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
    expect(crm.Tasks[0]).toMatchObject(linkedTo({ module: 'Leads', id: leadId }));
  });
});

/**
 * Where the national form writes the trunk prefix apart from the area code — `8 (701) 234-56-78` in Kazakhstan,
 * Russia and Belarus, libphonenumber's own national format there — a client typed so by a person is the same
 * client as Ringostat's digits `77012345678`.
 */
it.each([
  ['KZ', '77012345678', '8 (701) 234-56-78'],
  ['KZ', '77012345678', '8 701 234 56 78'],
  ['RU', '79123456789', '8 (912) 345-67-89'],
  ['BY', '375291234567', '8 (029) 123-45-67'],
])('M17: defaultCountry %s, a call from %s finds the lead stored as "%s"; no second lead', async (country, caller, stored) => {
  const h = harness();
  settings(h, { telephony: { defaultCountry: country } });
  const leadId = await seedLead(h, { phone: stored, ownerId: h.users.maria.id });
  const view = await endOnly(h, missedCall(h.uniqueCallId(), { caller }));
  expect(view.plan?.rule).toBe('M8');

  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  expect(crm.Leads[0]).toMatchObject({ id: leadId, Phone: stored });
  expect(crm.Tasks[0]).toMatchObject({ Owner: owner(h.users.maria.id), ...linkedTo({ module: 'Leads', id: leadId }) });
});

it('M17: the lead the first call made (E.164) is found by the next call from the same number in local format', async () => {
  const h = harness();
  await endOnly(h, missedCall(h.uniqueCallId(), { caller: '098 123 45 67' }));
  const afterFirst = await expectCrm(h, { Leads: 1, Tasks: 1 });
  const [lead] = afterFirst.Leads;
  expect(lead).toMatchObject({ Phone: E164, Last_Name: 'Call from +380 98 123 4567', Owner: owner(h.users.senior.id) });

  const view = await endOnly(h, incomingCall(h.uniqueCallId(), { caller: '380981234567', connected_with: 'maria' }));
  expect(view.plan?.rule).toBe('M5');
  const crm = await expectCrm(h, { Leads: 1, Tasks: 3 });
  const firstTasks = afterFirst.Tasks.map((task) => String(task.id));
  expect(created(crm, 'Tasks', firstTasks)).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ Status: 'Completed', Owner: owner(h.users.maria.id), ...linkedTo({ module: 'Leads', id: String(lead.id) }) }),
      expect.objectContaining({ Status: 'Not Started', Owner: owner(h.users.senior.id), ...linkedTo({ module: 'Leads', id: String(lead.id) }) }),
    ]),
  );
});

it.each(['anonymous', '', '12'])('M17: a hidden or unreadable caller number ("%s") writes nothing — a lead without a phone could never be found again', async (caller) => {
  const h = harness();
  const view = await endOnly(h, incomingCall(h.uniqueCallId(), { caller }));
  expect(view).toMatchObject({ status: 'ignored', plan: { scenario: 'no-client-number', operations: [] } });
  await expectCrm(h, {});
});
