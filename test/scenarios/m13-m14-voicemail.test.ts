/** Incoming calls that ended in voicemail: the recording goes into the callback task (M13 new client, M14 existing). */
import { CLIENT, endOnly, expectCrm, expectDueIn, linkedTo, missedCall, owner, seedContact, seedDeal, seedLead, useScenarioHarness } from './scenario-kit';

const harness = useScenarioHarness();

function voicemail(callId: string): Record<string, string> {
  return missedCall(callId, { disposition: 'VOICEMAIL', duration: '48', recording: `https://records.example.com/voicemail-${callId}.mp3` });
}

it('M13: new client → a lead on the senior manager and an open callback task with the voicemail recording', async () => {
  const h = harness();
  const callId = h.uniqueCallId();
  const before = Date.now();
  const view = await endOnly(h, voicemail(callId));
  expect(view).toMatchObject({ status: 'written', plan: { rule: 'M13' } });

  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  const [lead] = crm.Leads;
  expect(lead).toMatchObject({ Phone: CLIENT, Owner: owner(h.users.senior.id), rs_utm_source: 'google', rs_google_client_id: 'GA1.2.345' });
  const [task] = crm.Tasks;
  expect(task).toMatchObject({ Subject: `Call back ${CLIENT}: voicemail`, Status: 'Not Started', Owner: owner(h.users.senior.id), ...linkedTo({ module: 'Leads', id: String(lead.id) }) });
  expect(task.Description).toContain(`Recording: https://records.example.com/voicemail-${callId}.mp3`);
  expectDueIn(task, before, 60);
});

it('M14: client with an open lead → an open callback task with the recording on the lead owner; no lead is made', async () => {
  const h = harness();
  const leadId = await seedLead(h, { ownerId: h.users.ivan.id });
  const callId = h.uniqueCallId();
  const view = await endOnly(h, voicemail(callId));
  expect(view.plan?.rule).toBe('M14');

  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  const [task] = crm.Tasks;
  expect(task).toMatchObject({ Subject: `Call back ${CLIENT}: voicemail`, Status: 'Not Started', Owner: owner(h.users.ivan.id), ...linkedTo({ module: 'Leads', id: leadId }) });
  expect(task.Description).toContain(`Recording: https://records.example.com/voicemail-${callId}.mp3`);
});

it("M14: client with an open deal → the callback goes to the deal's owner, in the deal with its contact", async () => {
  const h = harness();
  const contactId = await seedContact(h, { ownerId: h.users.ivan.id });
  const dealId = await seedDeal(h, { contactId, ownerId: h.users.maria.id, pipeline: 'New', stage: 'New Request' });
  const view = await endOnly(h, voicemail(h.uniqueCallId()));
  expect(view.plan?.rule).toBe('M14');

  const crm = await expectCrm(h, { Contacts: 1, Deals: 1, Tasks: 1 });
  expect(crm.Tasks[0]).toMatchObject({ Status: 'Not Started', Owner: owner(h.users.maria.id), ...linkedTo({ module: 'Deals', id: dealId }, contactId) });
});
