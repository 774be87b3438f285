/**
 * What a call costs in Zoho API requests (issue 4: no scenario spends more than it needs), with the Zoho client's
 * metadata and the CRM facts (time zone, pipelines) already cached, as in steady state. The lookup is three COQL
 * queries sent together (leads, contacts, open deals: one round trip); an answered call of a known caller also
 * reads the caller's open tasks (one COQL, C3) unless callbacks.closeWhenReached is off; then one request per record
 * written. The idempotency check of a create is only paid when an attempt is retried. The call's record in the
 * Calls module (C1, on by default) is one more create.
 */
import { demoSettings } from '../support/call-harness';
import { endOnly, incomingCall, minutesAgo, outgoingCall, seedLead, seedTask, settings, useScenarioHarness, zohoRequests } from './scenario-kit';

const harness = useScenarioHarness();
const COQL = 'POST /crm/v8/coql';

it('M1: lookup (3 COQL at once) + create lead + create task + create call record (C1) = 6 requests, nothing else', async () => {
  const h = harness();
  settings(h, { matrix: { callRecords: true } });
  const view = await endOnly(h, incomingCall(h.uniqueCallId()));
  expect(view.plan?.rule).toBe('M1');
  expect(await zohoRequests(h)).toEqual({ total: 6, byEndpoint: { [COQL]: 3, 'POST /crm/v8/Leads': 1, 'POST /crm/v8/Tasks': 1, 'POST /crm/v8/Calls': 1 } });
});

it('M5: lookup + the open tasks C3 may close (1 COQL) + two tasks + the call record (C1) = 7 requests; the existing lead is not re-read or rewritten', async () => {
  const h = harness();
  settings(h, { matrix: { callRecords: true } });
  await seedLead(h, { ownerId: h.users.maria.id });
  expect((await endOnly(h, incomingCall(h.uniqueCallId()))).plan?.rule).toBe('M5');
  expect(await zohoRequests(h)).toEqual({ total: 7, byEndpoint: { [COQL]: 4, 'POST /crm/v8/Tasks': 2, 'POST /crm/v8/Calls': 1 } });
});

it('M5 with callbacks.closeWhenReached off: no open-tasks query, 6 requests', async () => {
  const h = harness();
  settings(h, { matrix: { callRecords: true }, callbacks: { closeWhenReached: false } });
  await seedLead(h, { ownerId: h.users.maria.id });
  expect((await endOnly(h, incomingCall(h.uniqueCallId()))).plan?.rule).toBe('M5');
  expect(await zohoRequests(h)).toEqual({ total: 6, byEndpoint: { [COQL]: 3, 'POST /crm/v8/Tasks': 2, 'POST /crm/v8/Calls': 1 } });
});

it.each([
  ['reported as internal', { call_type: 'internal', caller: '101' }],
  ["\"incoming\" from a colleague's mobile", { caller: '050 111 22 33' }],
])('M15: an internal call (%s) costs no request at all', async (_name, parameters) => {
  const h = harness();
  const base = demoSettings(h.users);
  settings(h, { matrix: { callRecords: true }, employees: base.employees.map((e) => (e.code === '102' ? { ...e, phones: ['+380501112233'] } : e)) });
  expect((await endOnly(h, incomingCall(h.uniqueCallId(), parameters))).plan?.rule).toBe('M15');
  expect(await zohoRequests(h)).toEqual({ total: 0, byEndpoint: {} });
});

it('O2: lookup + the tasks of what was found (1 COQL, update-existing mode only) + one update per record = 6 requests; O2 creates no Calls record', async () => {
  const h = harness();
  settings(h, { matrix: { mode: 'update-existing', callRecords: true } });
  const leadId = await seedLead(h, { ownerId: h.users.andrii.id, createdTime: minutesAgo(1) });
  await seedTask(h, { what: { module: 'Leads', id: leadId }, ownerId: h.users.andrii.id, subject: 'Call (other system)', createdTime: minutesAgo(1) });
  expect((await endOnly(h, incomingCall(h.uniqueCallId()))).plan?.rule).toBe('O2');
  expect(await zohoRequests(h)).toEqual({ total: 6, byEndpoint: { [COQL]: 4, 'PUT /crm/v8/Leads/{id}': 1, 'PUT /crm/v8/Tasks/{id}': 1 } });
});

it('O2: records older than the call were not made for it: no tasks query, the lookup alone = 3 requests', async () => {
  const h = harness();
  settings(h, { matrix: { mode: 'update-existing', callRecords: true } });
  await seedLead(h, { ownerId: h.users.andrii.id, createdTime: minutesAgo(60) });
  expect((await endOnly(h, incomingCall(h.uniqueCallId()))).plan?.rule).toBe('O2');
  expect(await zohoRequests(h)).toEqual({ total: 3, byEndpoint: { [COQL]: 3 } });
});

it('M11: an outgoing call to an unknown number = the lookup alone (3 requests), no Calls record by default (C1)', async () => {
  const h = harness();
  settings(h, { matrix: { callRecords: true } });
  expect((await endOnly(h, outgoingCall(h.uniqueCallId()))).plan?.rule).toBe('M11');
  expect(await zohoRequests(h)).toEqual({ total: 3, byEndpoint: { [COQL]: 3 } });
});
