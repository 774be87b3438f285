/**
 * What a call costs in Zoho API requests (issue 4: no scenario spends more than it needs), with the Zoho client's
 * metadata and the CRM facts (time zone, pipelines) already cached, as in steady state. The lookup is three COQL
 * queries (leads, contacts, open deals); an answered call of a known caller also reads the open callback tasks
 * naming the number (one COQL, C3) unless callbacks.closeWhenReached is off; then the writes. The idempotency check
 * of a create is only paid when an attempt is retried. The call's record in the Calls module (C1, on by default) is
 * one more create.
 *
 * With composite requests (#15; CALLMATRIX_ZOHO_COMPOSITE, and the activation's composite scope) the lookup's
 * queries, C3's included, are one request (Zoho's composite "Allowed APIs" include COQL) and a call's writes are one
 * more: M1 = 2
 * requests in 2 round trips, 3 API credits (1 for the lookup, 2 for the writes' transaction) instead of 6 requests,
 * 6 credits. Off, every query and record is its own request. Each test runs in both modes and checks the records
 * the CRM ends up with are the same.
 */
import crypto from 'node:crypto';
import { demoSettings } from '../support/call-harness';
import { endOnly, eventually, expectCrm, incomingCall, minutesAgo, missedCall, outgoingCall, ringing, ringostatTime, seedLead, seedTask, settings, useScenarioHarness, zohoRequests, zohoRoundTrips } from './scenario-kit';

const COQL = 'POST /crm/v8/coql';
const COMPOSITE = 'POST /crm/v8/__composite_requests';

describe.each([
  ['composite requests on', true],
  ['composite requests off', false],
])('%s', (_mode, composite) => {
const harness = useScenarioHarness({ composite });
/** Separate writes by endpoint, or one composite request holding them all. */
const writes = (separate: Record<string, number>) => (composite ? { [COMPOSITE]: 1 } : separate);
/** The caller lookup: three COQL queries, or one composite request holding them. */
const lookup: Record<string, number> = composite ? { [COMPOSITE]: 1 } : { [COQL]: 3 };
/** The lookup with C3's open callback tasks: a fourth query in the same composite request, or one more COQL after it. */
const lookupWithOpenTasks: Record<string, number> = composite ? { [COMPOSITE]: 1 } : { [COQL]: 4 };
/** Requests by endpoint, the parts added up. */
const requests = (...parts: Record<string, number>[]) => {
  const sum: Record<string, number> = {};
  for (const part of parts) for (const [endpoint, n] of Object.entries(part)) sum[endpoint] = (sum[endpoint] ?? 0) + n;
  return sum;
};
const count = (byEndpoint: Record<string, number>) => Object.values(byEndpoint).reduce((a, b) => a + b, 0);
/**
 * Each test's caller calls for the first time in a while, as in steady state. A call right after its caller's
 * previous one looks the caller up once more (the last test).
 */
let client: string;
beforeEach(() => {
  client = `+38067${crypto.randomInt(1_000_000, 10_000_000)}`;
});
const incoming = (callId: string, overrides: Record<string, string> = {}) => incomingCall(callId, { caller: client, ...overrides });

it('M1: lookup (3 COQL) + create lead + task + call record (C1): 2 composite requests in 2 round trips, 3 credits; 6 requests, 6 credits without', async () => {
  const h = harness();
  settings(h, { matrix: { callRecords: true } });
  await h.admin.updateSettings({ latencyMs: 50 });
  const creditsBefore = (await h.admin.state()).credits.used;
  const view = await endOnly(h, incoming(h.uniqueCallId()));
  expect(view.plan?.rule).toBe('M1');
  const byEndpoint = requests(lookup, writes({ 'POST /crm/v8/Leads': 1, 'POST /crm/v8/Tasks': 1, 'POST /crm/v8/Calls': 1 }));
  expect(await zohoRequests(h)).toEqual({ total: count(byEndpoint), byEndpoint });
  expect(await zohoRoundTrips(h)).toBe(composite ? 2 : 4);
  expect((await h.admin.state()).credits.used - creditsBefore).toBe(composite ? 3 : 6);
  // The same records either way: the task and the call record link to the lead created with them.
  const [lead] = await h.records('Leads');
  const [task] = await h.records('Tasks');
  const [call] = await h.records('Calls');
  expect(task.What_Id).toMatchObject({ id: lead.id });
  expect(call.What_Id ?? call.Who_Id).toMatchObject({ id: lead.id });
});

it('M5: lookup + the open tasks C3 may close (in the lookup\'s composite request, or 1 COQL) + two tasks + the call record (C1); the existing lead is not re-read or rewritten', async () => {
  const h = harness();
  settings(h, { matrix: { callRecords: true } });
  await seedLead(h, { phone: client, ownerId: h.users.maria.id });
  expect((await endOnly(h, incoming(h.uniqueCallId()))).plan?.rule).toBe('M5');
  const byEndpoint = requests(lookupWithOpenTasks, writes({ 'POST /crm/v8/Tasks': 2, 'POST /crm/v8/Calls': 1 }));
  expect(await zohoRequests(h)).toEqual({ total: count(byEndpoint), byEndpoint });
  expect(await h.records('Tasks')).toHaveLength(2);
});

it('M5 with callbacks.closeWhenReached off: no open-tasks query', async () => {
  const h = harness();
  settings(h, { matrix: { callRecords: true }, callbacks: { closeWhenReached: false } });
  await seedLead(h, { phone: client, ownerId: h.users.maria.id });
  expect((await endOnly(h, incoming(h.uniqueCallId()))).plan?.rule).toBe('M5');
  const byEndpoint = requests(lookup, writes({ 'POST /crm/v8/Tasks': 2, 'POST /crm/v8/Calls': 1 }));
  expect(await zohoRequests(h)).toEqual({ total: count(byEndpoint), byEndpoint });
});

it.each([
  ['reported as internal', { call_type: 'internal', caller: '101' }],
  ["\"incoming\" from a colleague's mobile", { caller: '050 111 22 33' }],
])('M15: an internal call (%s) costs no request at all', async (_name, parameters) => {
  const h = harness();
  const base = demoSettings(h.users);
  settings(h, { matrix: { callRecords: true }, employees: base.employees.map((e) => (e.code === '102' ? { ...e, phones: ['+380501112233'] } : e)) });
  expect((await endOnly(h, incoming(h.uniqueCallId(), parameters))).plan?.rule).toBe('M15');
  expect(await zohoRequests(h)).toEqual({ total: 0, byEndpoint: {} });
});

it('O2: lookup + the tasks of what was found (1 COQL, update-existing mode only) + one update per record: 3 requests, 6 without; O2 creates no Calls record', async () => {
  const h = harness();
  settings(h, { matrix: { mode: 'update-existing', callRecords: true } });
  const leadId = await seedLead(h, { phone: client, ownerId: h.users.andrii.id, createdTime: minutesAgo(1) });
  await seedTask(h, { what: { module: 'Leads', id: leadId }, ownerId: h.users.andrii.id, subject: 'Call (other system)', createdTime: minutesAgo(1) });
  expect((await endOnly(h, incoming(h.uniqueCallId()))).plan?.rule).toBe('O2');
  const byEndpoint = requests(lookup, { [COQL]: 1 }, writes({ 'PUT /crm/v8/Leads/{id}': 1, 'PUT /crm/v8/Tasks/{id}': 1 }));
  expect(await zohoRequests(h)).toEqual({ total: count(byEndpoint), byEndpoint });
});

it('O2: records older than the call were not made for it: no tasks query, the lookup alone (1 request, 3 without)', async () => {
  const h = harness();
  settings(h, { matrix: { mode: 'update-existing', callRecords: true } });
  await seedLead(h, { phone: client, ownerId: h.users.andrii.id, createdTime: minutesAgo(60) });
  expect((await endOnly(h, incoming(h.uniqueCallId()))).plan?.rule).toBe('O2');
  expect(await zohoRequests(h)).toEqual({ total: count(lookup), byEndpoint: lookup });
});

it('M11: an outgoing call to an unknown number = the lookup alone (1 request, 3 without), no Calls record by default (C1)', async () => {
  const h = harness();
  settings(h, { matrix: { callRecords: true } });
  expect((await endOnly(h, outgoingCall(h.uniqueCallId(), { dst: client }))).plan?.rule).toBe('M11');
  expect(await zohoRequests(h)).toEqual({ total: count(lookup), byEndpoint: lookup });
});

it('C3, M8: a missed call written on time asks for no answered calls (the lookup alone); written late, those 2 queries ride in the lookup\'s composite request (2 COQL more without)', async () => {
  const h = harness();
  await seedLead(h, { phone: client, ownerId: h.users.maria.id });
  await h.admin.clearRequests();
  expect((await endOnly(h, missedCall(h.uniqueCallId(), { caller: client }))).plan?.rule).toBe('M8');
  const onTime = requests(lookup, { 'POST /crm/v8/Tasks': 1 });
  expect(await zohoRequests(h)).toEqual({ total: count(onTime), byEndpoint: onTime });

  await h.admin.clearRequests();
  const late = ringostatTime(new Date(Date.now() - 60 * 60_000));
  expect((await endOnly(h, missedCall(h.uniqueCallId(), { caller: client, calldate: late }))).plan?.rule).toBe('M8');
  // Right after the caller's previous call, so looked up twice (M17, the last test).
  const lateLookup = composite ? lookup : { [COQL]: 5 };
  const written = requests(lateLookup, lateLookup, { 'POST /crm/v8/Tasks': 1 });
  expect(await zohoRequests(h)).toEqual({ total: count(written), byEndpoint: written });
});

it('C3, O1, M8: a missed call that rang with O1 on, ended on time, decides on its ringing lookup (no request more); its end event an hour late, it asks once more for the answered calls (one lookup)', async () => {
  const h = harness();
  settings(h, { matrix: { createBeforeCall: true } });
  await seedLead(h, { phone: client, ownerId: h.users.maria.id });
  /** The requests of a missed call's end, after O1 wrote while it rang. */
  const afterRinging = async (calldate: string) => {
    const call = missedCall(h.uniqueCallId(), { caller: client, calldate });
    const tasksBefore = (await h.records('Tasks')).length;
    await h.send('start', ringing(call));
    await eventually(async () => ((await h.records('Tasks')).length > tasksBefore ? true : undefined));
    await h.admin.clearRequests();
    expect((await endOnly(h, call)).plan?.rule).toBe('M8');
    return (await zohoRequests(h)).byEndpoint;
  };
  const onTime = await afterRinging(ringostatTime());
  expect(Object.keys(onTime)).not.toContain(COQL);
  const lateLookup = composite ? lookup : { [COQL]: 5 };
  expect(await afterRinging(ringostatTime(new Date(Date.now() - 60 * 60_000)))).toEqual(requests(onTime, lateLookup));
});

it("M17: a call right after its caller's previous one looks the caller up once more, in its turn: its lookup alongside the join may not have seen the previous call's lead", async () => {
  const h = harness();
  expect((await endOnly(h, missedCall(h.uniqueCallId(), { caller: client }))).plan?.rule).toBe('M9');
  await h.admin.clearRequests();
  expect((await endOnly(h, missedCall(h.uniqueCallId(), { caller: client }))).plan?.rule).toBe('M8');
  // One record: a plain create, composite requests on or off.
  const byEndpoint = requests(lookup, lookup, { 'POST /crm/v8/Tasks': 1 });
  expect(await zohoRequests(h)).toEqual({ total: count(byEndpoint), byEndpoint });
  await expectCrm(h, { Leads: 1, Tasks: 2 });
});
});
