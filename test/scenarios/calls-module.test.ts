/**
 * C1: every call the matrix handles becomes exactly one record in Zoho's Calls module — one test per matrix row,
 * through the real shim and Temporal into the emulator, asserting on the Calls records the CRM ends up with.
 */
import { demoSettings } from '../support/call-harness';
import {
  CLIENT,
  endOnly,
  expectCrm,
  incomingCall,
  link,
  linkedTo,
  missedCall,
  outgoingCall,
  owner,
  ringing,
  runCall,
  seedContact,
  seedDeal,
  seedLead,
  settings,
  useScenarioHarness,
  type CrmState,
} from './scenario-kit';

const harness = useScenarioHarness();
const logCalls = (overrides: Record<string, unknown> = {}) => {
  const { matrix, ...rest } = overrides;
  settings(harness(), { ...rest, matrix: { callRecords: true, ...(matrix as object) } });
};
/** Kyiv winter time (+02:00); Ringostat writes calldate in the project's time, here the CRM's zone. */
const CALLDATE = '2026-11-27 14:05:09';
const START = '2026-11-27T14:05:09+02:00';
const voicemail = (callId: string) => missedCall(callId, { calldate: CALLDATE, disposition: 'VOICEMAIL', duration: '48', recording: `https://records.example.com/vm-${callId}.mp3` });
const theCall = (crm: CrmState) => {
  expect(crm.Calls).toHaveLength(1);
  return crm.Calls[0];
};

it('C1, M1: an answered call from a new client → Inbound, on the answering manager, linked to the new lead, with duration, recording and visit data', async () => {
  const h = harness();
  logCalls();
  const callId = h.uniqueCallId();
  expect((await endOnly(h, incomingCall(callId, { calldate: CALLDATE }))).plan?.rule).toBe('M1');
  const crm = await expectCrm(h, { Leads: 1, Tasks: 1, Calls: 1 });
  const record = theCall(crm);
  expect(record).toMatchObject({
    Subject: `Incoming call from ${CLIENT}`,
    Call_Type: 'Inbound',
    Call_Start_Time: START,
    Call_Duration: '0:42',
    Call_Duration_in_seconds: 42,
    Caller_ID: CLIENT,
    Owner: owner(h.users.ivan.id),
    Voice_Recording__s: `https://records.example.com/${callId}.mp3`,
    Outgoing_Call_Status: null,
    ...linkedTo({ module: 'Leads', id: String(crm.Leads[0].id) }),
  });
  for (const line of [`Recording: https://records.example.com/${callId}.mp3`, 'Landing page: https://shop.example.com/sofas', 'UTM: source: google, medium: cpc, campaign: spring', 'Answered by: Ivan Petrenko']) {
    expect(record.Description).toContain(line);
  }
});

it('C1, M3: answered on a line of nobody → Inbound on the senior manager', async () => {
  const h = harness();
  logCalls();
  expect((await endOnly(h, incomingCall(h.uniqueCallId(), { connected_with: 'olga.sip' }))).plan?.rule).toBe('M3');
  const crm = await expectCrm(h, { Leads: 1, Tasks: 1, Calls: 1 });
  expect(theCall(crm)).toMatchObject({ Call_Type: 'Inbound', Owner: owner(h.users.senior.id), ...linkedTo({ module: 'Leads', id: String(crm.Leads[0].id) }) });
});

it.each([
  ['M4', 'ivan'],
  ['M5', 'maria'],
] as const)('C1, %s: a client with an open lead (owner %s) → one Inbound record on the answering manager, in that lead', async (rule, leadOwner) => {
  const h = harness();
  logCalls();
  const leadId = await seedLead(h, { ownerId: h.users[leadOwner].id });
  expect((await endOnly(h, incomingCall(h.uniqueCallId()))).plan?.rule).toBe(rule);
  const crm = await expectCrm(h, { Leads: 1, Tasks: rule === 'M4' ? 1 : 2, Calls: 1 });
  expect(theCall(crm)).toMatchObject({ Call_Type: 'Inbound', Owner: owner(h.users.ivan.id), ...linkedTo({ module: 'Leads', id: leadId }) });
});

it.each([
  ['M6', 'ivan'],
  ['M7', 'maria'],
] as const)('C1, %s: a client with only a contact (owner %s) → Inbound on the answering manager, linked to the new lead and the contact', async (rule, contactOwner) => {
  const h = harness();
  logCalls();
  const contactId = await seedContact(h, { ownerId: h.users[contactOwner].id });
  expect((await endOnly(h, incomingCall(h.uniqueCallId()))).plan?.rule).toBe(rule);
  const crm = await expectCrm(h, { Contacts: 1, Leads: 1, Tasks: rule === 'M6' ? 1 : 2, Calls: 1 });
  expect(theCall(crm)).toMatchObject({ Call_Type: 'Inbound', Owner: owner(h.users.ivan.id), ...linkedTo({ module: 'Leads', id: String(crm.Leads[0].id) }, contactId) });
});

it('C1, M8: a missed call from an existing client → Missed, no duration, on the responsible manager who calls back', async () => {
  const h = harness();
  logCalls();
  const leadId = await seedLead(h, { ownerId: h.users.maria.id });
  expect((await endOnly(h, missedCall(h.uniqueCallId(), { calldate: CALLDATE }))).plan?.rule).toBe('M8');
  const crm = await expectCrm(h, { Leads: 1, Tasks: 1, Calls: 1 });
  expect(theCall(crm)).toMatchObject({
    Subject: `Missed call from ${CLIENT}`,
    Call_Type: 'Missed',
    Call_Start_Time: START,
    Call_Duration: null,
    Voice_Recording__s: null,
    Owner: owner(h.users.maria.id),
    ...linkedTo({ module: 'Leads', id: leadId }),
  });
});

it('C1, M9: a missed call from a new client → Missed on the senior manager, or on the distribution turn (O4)', async () => {
  const h = harness();
  logCalls();
  expect((await endOnly(h, missedCall(h.uniqueCallId()))).plan?.rule).toBe('M9');
  let crm = await expectCrm(h, { Leads: 1, Tasks: 1, Calls: 1 });
  expect(theCall(crm)).toMatchObject({ Call_Type: 'Missed', Owner: owner(h.users.senior.id), ...linkedTo({ module: 'Leads', id: String(crm.Leads[0].id) }) });

  await h.admin.reset();
  const base = demoSettings(h.users);
  logCalls({ employees: base.employees.map((e) => ({ ...e, missedCallDistribution: e.code === '103' })) });
  await endOnly(h, missedCall(h.uniqueCallId()));
  crm = await expectCrm(h, { Leads: 1, Tasks: 1, Calls: 1 });
  expect(theCall(crm)).toMatchObject({ Call_Type: 'Missed', Owner: owner(h.users.andrii.id) });
  expect(crm.Leads[0]).toMatchObject({ Owner: owner(h.users.andrii.id) });
});

it('C1, M10: an outgoing call to a client with an open deal → Outbound, completed, in the deal and with its contact', async () => {
  const h = harness();
  logCalls();
  const contactId = await seedContact(h, { ownerId: h.users.maria.id });
  const dealId = await seedDeal(h, { contactId, ownerId: h.users.maria.id });
  expect((await endOnly(h, outgoingCall(h.uniqueCallId(), { calldate: CALLDATE }))).plan?.rule).toBe('M10');
  const crm = await expectCrm(h, { Contacts: 1, Deals: 1, Tasks: 1, Calls: 1 });
  expect(theCall(crm)).toMatchObject({
    Subject: `Outgoing call to ${CLIENT}: answered`,
    Call_Type: 'Outbound',
    Outgoing_Call_Status: 'Completed',
    Call_Start_Time: START,
    Call_Duration: '1:35',
    Dialled_Number: CLIENT,
    Owner: owner(h.users.ivan.id),
    ...linkedTo({ module: 'Deals', id: dealId }, contactId),
  });
});

it('C1, M10: an outgoing call nobody answered → Outbound with the ringing time and "No response/Busy"', async () => {
  const h = harness();
  logCalls();
  const leadId = await seedLead(h, { ownerId: h.users.ivan.id });
  await endOnly(h, outgoingCall(h.uniqueCallId(), { disposition: 'NO ANSWER', billsec: '0', duration: '21', recording: '' }));
  const crm = await expectCrm(h, { Leads: 1, Tasks: 1, Calls: 1 });
  expect(theCall(crm)).toMatchObject({ Call_Type: 'Outbound', Call_Duration: '0:21', Call_Result: 'No response/Busy', Outgoing_Call_Status: 'Completed', ...linkedTo({ module: 'Leads', id: leadId }) });
});

it('C1, M11: an outgoing call to an unknown number is not logged — unless its scenario switch asks (O3)', async () => {
  const h = harness();
  logCalls();
  expect((await endOnly(h, outgoingCall(h.uniqueCallId()))).plan?.rule).toBe('M11');
  await expectCrm(h, {});

  logCalls({ matrix: { scenarios: { 'outgoing-unknown': { callRecord: true } } } });
  await endOnly(h, outgoingCall(h.uniqueCallId()));
  const crm = await expectCrm(h, { Calls: 1 });
  expect(theCall(crm)).toMatchObject({ Call_Type: 'Outbound', Owner: owner(h.users.ivan.id), ...linkedTo(null) });
});

it('C1, M12: an outgoing call to a client with only a contact → Outbound with the contact, no lead or deal', async () => {
  const h = harness();
  logCalls();
  const contactId = await seedContact(h, { ownerId: h.users.maria.id });
  expect((await endOnly(h, outgoingCall(h.uniqueCallId()))).plan?.rule).toBe('M12');
  const crm = await expectCrm(h, { Contacts: 1, Tasks: 1, Calls: 1 });
  expect(theCall(crm)).toMatchObject({ Call_Type: 'Outbound', Owner: owner(h.users.ivan.id), ...linkedTo(null, contactId) });
});

it.each([
  ['M13', false],
  ['M14', true],
] as const)('C1, %s: voicemail → Missed with the voicemail recording', async (rule, existing) => {
  const h = harness();
  logCalls();
  const leadId = existing ? await seedLead(h, { ownerId: h.users.maria.id }) : undefined;
  const callId = h.uniqueCallId();
  expect((await endOnly(h, voicemail(callId))).plan?.rule).toBe(rule);
  const crm = await expectCrm(h, { Leads: 1, Tasks: 1, Calls: 1 });
  expect(theCall(crm)).toMatchObject({
    Subject: `Voicemail from ${CLIENT}`,
    Call_Type: 'Missed',
    Voice_Recording__s: `https://records.example.com/vm-${callId}.mp3`,
    Owner: owner(existing ? h.users.maria.id : h.users.senior.id),
    ...linkedTo({ module: 'Leads', id: leadId ?? String(crm.Leads[0].id) }),
  });
});

it('C1, O3: switched off globally, or for one scenario, no Calls record is written; a scenario switch wins over the global one', async () => {
  const h = harness();
  settings(h, { matrix: { callRecords: false } });
  await endOnly(h, incomingCall(h.uniqueCallId()));
  await expectCrm(h, { Leads: 1, Tasks: 1 });

  await h.admin.reset();
  logCalls({ matrix: { scenarios: { 'answered-new-client': { callRecord: false } } } });
  await endOnly(h, incomingCall(h.uniqueCallId()));
  await expectCrm(h, { Leads: 1, Tasks: 1 });

  await h.admin.reset();
  settings(h, { matrix: { callRecords: false, scenarios: { 'answered-new-client': { callRecord: true } } } });
  await endOnly(h, incomingCall(h.uniqueCallId()));
  await expectCrm(h, { Leads: 1, Tasks: 1, Calls: 1 });
});

it('C1: exactly once — a re-sent end webhook and the records made while the call rang (O1) leave one Calls record', async () => {
  const h = harness();
  logCalls({ matrix: { createBeforeCall: true } });
  const callId = h.uniqueCallId();
  const parameters = incomingCall(callId);
  const view = await runCall(h, callId, [['start', ringing(parameters)], ['end', parameters]]);
  expect(view.status).toBe('written');
  expect(await h.send('end', parameters)).toMatchObject({ status: 200, body: { outcome: 'call-already-finished' } });
  const crm = await expectCrm(h, { Leads: 1, Tasks: 1, Calls: 1 });
  expect(theCall(crm)).toMatchObject({ Call_Type: 'Inbound', Owner: owner(h.users.ivan.id), What_Id: link(String(crm.Leads[0].id)) });
});
