/**
 * A manager leaves and the admin deactivates their Zoho user without handing their records over: the leads, deals
 * and contacts stay owned by a user Zoho no longer lets own anything (the emulator refuses such an Owner as Zoho
 * does, INVALID_DATA). The responsible manager's follow-up of a call from such a client (M5, M7 review, M8
 * callback, the C1 record of a missed call) goes to the senior manager instead of failing the whole call — a failed
 * call is a callback nobody gets, and retrying it fails the same way until every record is handed over. An employee
 * still mapped to such a user in the settings counts as mapped to none (M3), and takes no missed-call turn (O4).
 */
import { CLIENT, endOnly, expectCrm, incomingCall, linkedTo, missedCall, owner, seedContact, seedLead, settings, useScenarioHarness } from './scenario-kit';

const harness = useScenarioHarness();

it("M8, C1: a missed call from a client whose lead's owner was deactivated → the callback and the Calls record go to the senior manager, in the lead; the call is written", async () => {
  const h = harness();
  settings(h, { matrix: { callRecords: true } });
  const leadId = await seedLead(h, { ownerId: h.users.deactivated.id });
  const view = await endOnly(h, missedCall(h.uniqueCallId()));
  expect(view).toMatchObject({ status: 'written', plan: { rule: 'M8' } });

  const crm = await expectCrm(h, { Leads: 1, Tasks: 1, Calls: 1 });
  expect(crm.Tasks[0]).toMatchObject({
    Subject: `Call back ${CLIENT}: missed call`,
    Status: 'Not Started',
    Owner: owner(h.users.senior.id),
    ...linkedTo({ module: 'Leads', id: leadId }),
  });
  expect(crm.Calls[0]).toMatchObject({ Call_Type: 'Missed', Owner: owner(h.users.senior.id) });
});

it("M5: a call answered by another manager for a deactivated user's lead → Maria's completed task, and the review task on the senior manager", async () => {
  const h = harness();
  const leadId = await seedLead(h, { ownerId: h.users.deactivated.id });
  const view = await endOnly(h, incomingCall(h.uniqueCallId(), { connected_with: 'maria' }));
  expect(view).toMatchObject({ status: 'written', plan: { rule: 'M5' } });

  const crm = await expectCrm(h, { Leads: 1, Tasks: 2 });
  expect(crm.Tasks).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ Status: 'Completed', Owner: owner(h.users.maria.id), ...linkedTo({ module: 'Leads', id: leadId }) }),
      expect.objectContaining({ Status: 'Not Started', Owner: owner(h.users.senior.id), ...linkedTo({ module: 'Leads', id: leadId }) }),
    ]),
  );
});

it("M7: a deactivated user's contact, answered by Maria → her lead and completed task, the open task on the senior manager", async () => {
  const h = harness();
  const contactId = await seedContact(h, { ownerId: h.users.deactivated.id });
  const view = await endOnly(h, incomingCall(h.uniqueCallId(), { connected_with: 'maria' }));
  expect(view).toMatchObject({ status: 'written', plan: { rule: 'M7' } });

  const crm = await expectCrm(h, { Contacts: 1, Leads: 1, Tasks: 2 });
  const leadId = String(crm.Leads[0].id);
  expect(crm.Leads[0]).toMatchObject({ Phone: CLIENT, Owner: owner(h.users.maria.id) });
  expect(crm.Tasks).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ Status: 'Completed', Owner: owner(h.users.maria.id), ...linkedTo({ module: 'Leads', id: leadId }, contactId) }),
      expect.objectContaining({ Status: 'Not Started', Owner: owner(h.users.senior.id), ...linkedTo({ module: 'Leads', id: leadId }, contactId) }),
    ]),
  );
});

it("M4: the senior manager answering a deactivated user's client takes the call over: her completed task, no review for herself", async () => {
  const h = harness();
  const leadId = await seedLead(h, { ownerId: h.users.deactivated.id });
  settings(h, {
    employees: [{ code: '100', name: 'Olena Koval', zohoUserId: h.users.senior.id, sipLogins: ['olena'] }],
  });
  const view = await endOnly(h, incomingCall(h.uniqueCallId(), { connected_with: 'olena' }));
  expect(view).toMatchObject({ status: 'written', plan: { rule: 'M4' } });

  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  expect(crm.Tasks[0]).toMatchObject({ Status: 'Completed', Owner: owner(h.users.senior.id), ...linkedTo({ module: 'Leads', id: leadId }) });
});

/** The demo settings with Maria's employee mapped to the deactivated user: her lines were handed to nobody in the settings. */
function mariaDeactivated(h: ReturnType<typeof harness>, overrides: Record<string, unknown> = {}) {
  const employees = [
    { code: '101', name: 'Ivan Petrenko', zohoUserId: h.users.ivan.id, sipLogins: ['ivan'], extensions: ['101'] },
    { code: '102', name: 'Taras Melnyk', zohoUserId: h.users.deactivated.id, sipLogins: ['maria'], extensions: ['102'], missedCallDistribution: true },
    { code: '103', name: 'Andrii Bondar', zohoUserId: h.users.andrii.id, sipLogins: ['andrii'], extensions: ['103'], missedCallDistribution: true },
  ];
  settings(h, { employees, ...overrides });
}

it("M3: a call answered on the line of an employee whose Zoho user was deactivated → written as unmapped: the lead and the check-settings task on the senior manager", async () => {
  const h = harness();
  mariaDeactivated(h);
  const view = await endOnly(h, incomingCall(h.uniqueCallId(), { connected_with: 'maria' }));
  expect(view).toMatchObject({ status: 'written', plan: { rule: 'M3' } });

  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  expect(crm.Leads[0]).toMatchObject({ Phone: CLIENT, Owner: owner(h.users.senior.id) });
  expect(crm.Tasks[0]).toMatchObject({ Owner: owner(h.users.senior.id), ...linkedTo({ module: 'Leads', id: String(crm.Leads[0].id) }) });
  expect(String(crm.Tasks[0].Subject)).toMatch(/^Check integration settings/);
});

it('O4: an employee in the missed-call distribution whose Zoho user was deactivated takes no turn: the new clients go to the active ones', async () => {
  const h = harness();
  mariaDeactivated(h);
  for (const caller of ['+380671230001', '+380671230002']) {
    const view = await endOnly(h, missedCall(h.uniqueCallId(), { caller }));
    expect(view).toMatchObject({ status: 'written', plan: { rule: 'M9' } });
  }
  const crm = await expectCrm(h, { Leads: 2, Tasks: 2 });
  for (const record of [...crm.Leads, ...crm.Tasks]) expect(record).toMatchObject({ Owner: owner(h.users.andrii.id) });
});
