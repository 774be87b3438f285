/** Outgoing calls by a manager: a task in the client's lead/deal (M10), nothing for unknown numbers (M11), a task on the contact (M12). */
import { CLIENT, endOnly, expectCrm, linkedTo, outgoingCall, owner, seedContact, seedDeal, seedLead, useScenarioHarness, without } from './scenario-kit';

const harness = useScenarioHarness();

it('M10: to a client with an open lead → a completed task on the calling manager with the recording and the call status', async () => {
  const h = harness();
  const leadId = await seedLead(h, { ownerId: h.users.maria.id });
  const callId = h.uniqueCallId();
  const view = await endOnly(h, outgoingCall(callId));
  expect(view).toMatchObject({ status: 'written', plan: { rule: 'M10' } });

  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  const [task] = crm.Tasks;
  expect(task).toMatchObject({
    Subject: `Call to ${CLIENT}: answered (1:35)`,
    Status: 'Completed',
    Owner: owner(h.users.ivan.id),
    ...linkedTo({ module: 'Leads', id: leadId }),
  });
  expect(task.Description).toContain('Call: outgoing, answered (talk 1:35, total 1:50)');
  expect(task.Description).toContain(`Recording: https://records.example.com/${callId}.mp3`);
  expect(task.Description).toContain('Called by: Ivan Petrenko');
});

it('M10: without call_type, a call from a manager\'s SIP to a client\'s number is outgoing → the same completed task in the lead', async () => {
  const h = harness();
  const leadId = await seedLead(h, { ownerId: h.users.maria.id });
  const callId = h.uniqueCallId();
  const view = await endOnly(h, without(outgoingCall(callId), 'call_type'));
  expect(view).toMatchObject({ status: 'written', plan: { rule: 'M10' } });

  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  expect(crm.Tasks[0]).toMatchObject({ Subject: `Call to ${CLIENT}: answered (1:35)`, Status: 'Completed', Owner: owner(h.users.ivan.id), ...linkedTo({ module: 'Leads', id: leadId }) });
  expect(crm.Tasks[0].Description).toContain(`Recording: https://records.example.com/${callId}.mp3`);
});

it('M10: an unanswered call to a deal client → a completed task saying "no answer", in the deal with its contact', async () => {
  const h = harness();
  const contactId = await seedContact(h, { ownerId: h.users.andrii.id });
  const dealId = await seedDeal(h, { contactId, ownerId: h.users.andrii.id });
  const view = await endOnly(h, outgoingCall(h.uniqueCallId(), { caller: '103', disposition: 'NO ANSWER', billsec: '0', duration: '30', recording: '' }));
  expect(view.plan?.rule).toBe('M10');

  const crm = await expectCrm(h, { Contacts: 1, Deals: 1, Tasks: 1 });
  const [task] = crm.Tasks;
  expect(task).toMatchObject({ Subject: `Call to ${CLIENT}: no answer`, Status: 'Completed', Owner: owner(h.users.andrii.id), ...linkedTo({ module: 'Deals', id: dealId }, contactId) });
  expect(task.Description).toContain('Call: outgoing, no answer');
});

it('M11: to an unknown number → nothing is created', async () => {
  const h = harness();
  const view = await endOnly(h, outgoingCall(h.uniqueCallId()));
  expect(view).toMatchObject({ status: 'ignored', plan: { rule: 'M11', operations: [] } });
  await expectCrm(h, {});
});

it('M11: to an unknown number from a line that belongs to nobody → still nothing (no M3 task either)', async () => {
  const h = harness();
  const view = await endOnly(h, outgoingCall(h.uniqueCallId(), { caller: 'unknown.sip' }));
  expect(view).toMatchObject({ status: 'ignored', plan: { rule: 'M11' } });
  await expectCrm(h, {});
});

it('M12: to a client with only a contact → only a completed task on the calling manager, linked to the contact; no lead or deal', async () => {
  const h = harness();
  const contactId = await seedContact(h, { ownerId: h.users.maria.id });
  const callId = h.uniqueCallId();
  const view = await endOnly(h, outgoingCall(callId));
  expect(view.plan?.rule).toBe('M12');

  const crm = await expectCrm(h, { Contacts: 1, Tasks: 1 });
  const [task] = crm.Tasks;
  expect(task).toMatchObject({ Status: 'Completed', Owner: owner(h.users.ivan.id), ...linkedTo(null, contactId) });
  expect(task.Description).toContain(`Recording: https://records.example.com/${callId}.mp3`);
});

it('M3 (outgoing): a known client called from a line that belongs to nobody → the settings task on the senior manager', async () => {
  const h = harness();
  const leadId = await seedLead(h, { ownerId: h.users.maria.id });
  const view = await endOnly(h, outgoingCall(h.uniqueCallId(), { caller: 'unknown.sip' }));
  expect(view.plan?.rule).toBe('M3');

  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  expect(crm.Tasks[0]).toMatchObject({
    Subject: "Check integration settings: call placed from SIP 'unknown.sip'",
    Status: 'Not Started',
    Owner: owner(h.users.senior.id),
    ...linkedTo({ module: 'Leads', id: leadId }),
  });
});
