/**
 * However Ringostat is set up — GET or POST, JSON or form, parameters nested under `additional_call_data`, renamed
 * parameters — and however its webhooks arrive (re-sent, out of order), one call makes its records once.
 */
import { CLIENT, expectCrm, incomingCall, linkedTo, owner, ringing, settings, useScenarioHarness, without } from './scenario-kit';
import type { CallHarness } from '../support/call-harness';

const harness = useScenarioHarness();

/** The final state of an M1+M2 call from `phone`: one lead on Ivan with the visit data, one completed task in it. */
async function expectAnsweredNewClient(h: CallHarness, callId: string, phone = CLIENT): Promise<void> {
  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  const [lead] = crm.Leads;
  expect(lead).toMatchObject({
    Phone: phone,
    Owner: owner(h.users.ivan.id),
    rs_utm_source: 'google',
    rs_utm_medium: 'cpc',
    rs_utm_campaign: 'spring',
    rs_google_client_id: 'GA1.2.345',
  });
  const [task] = crm.Tasks;
  expect(task).toMatchObject({ Status: 'Completed', Owner: owner(h.users.ivan.id), ...linkedTo({ module: 'Leads', id: String(lead.id) }) });
  expect(task.Description).toContain(`Recording: https://records.example.com/${callId}.mp3`);
  expect(task.Description).toContain('Landing page: https://shop.example.com/sofas');
}

describe('webhook formats (M1, M2)', () => {
  it('M1: GET with every parameter in the query string', async () => {
    const h = harness();
    const callId = h.uniqueCallId();
    expect(await h.send('end', incomingCall(callId), { method: 'GET' })).toMatchObject({ status: 200, body: { ok: true } });
    expect((await h.result(callId)).plan?.rule).toBe('M1');
    await expectAnsweredNewClient(h, callId);
  });

  it('M1: POST as an HTML form (application/x-www-form-urlencoded)', async () => {
    const h = harness();
    const callId = h.uniqueCallId();
    expect(await h.send('end', incomingCall(callId), { form: true })).toMatchObject({ status: 200 });
    await h.result(callId);
    await expectAnsweredNewClient(h, callId);
  });

  it('M1: JSON with the visit data nested under additional_call_data (object, and as a JSON string)', async () => {
    const h = harness();
    const visit = ['utm_source', 'utm_medium', 'utm_campaign', 'client_id', 'landing', 'pool_name'];
    const split = (callId: string) => {
      const call = incomingCall(callId);
      return { root: without(call, ...visit), nested: Object.fromEntries(visit.map((name) => [name, call[name]])) };
    };
    const first = h.uniqueCallId();
    const { root, nested } = split(first);
    expect(await h.send('end', { ...root, additional_call_data: nested })).toMatchObject({ status: 200 });
    await h.result(first);
    await expectAnsweredNewClient(h, first);

    await h.admin.reset();
    const second = h.uniqueCallId();
    const asString = split(second);
    expect(await h.send('end', { ...asString.root, additional_call_data: JSON.stringify(asString.nested) })).toMatchObject({ status: 200 });
    await h.result(second);
    await expectAnsweredNewClient(h, second);
  });

  it('M1: parameters renamed in Ringostat (telephony.parameterNames) are read under their new names', async () => {
    const h = harness();
    settings(h, { telephony: { parameterNames: { uniqueid: 'call_id', caller: 'phone', connected_with: 'manager', utm_source: 'source' } } });
    const callId = h.uniqueCallId();
    const { uniqueid, caller, connected_with, utm_source, ...rest } = incomingCall(callId);
    const response = await h.send('end', { ...rest, call_id: uniqueid, phone: caller, manager: connected_with, source: utm_source });
    expect(response).toMatchObject({ status: 200, body: { workflowId: `call:ringostat:${callId}` } });
    await h.result(callId);
    await expectAnsweredNewClient(h, callId);
  });
});

describe('client numbers as Ringostat writes them (M1, M2, M17)', () => {
  it('M1+M2, M17: an answered call from a foreign number in digits-only form (48501234567) makes its lead and task', async () => {
    const h = harness();
    const callId = h.uniqueCallId();
    expect(await h.send('end', incomingCall(callId, { caller: '48501234567' }))).toMatchObject({ status: 200, body: { ok: true } });
    expect((await h.result(callId)).plan?.rule).toBe('M1');
    await expectAnsweredNewClient(h, callId, '+48501234567');
  });
});

describe('delivery', () => {
  it('M1: the same end webhook sent 3 times at once → one workflow, one lead, one task', async () => {
    const h = harness();
    const callId = h.uniqueCallId();
    const responses = await Promise.all([1, 2, 3].map(() => h.send('end', incomingCall(callId))));
    for (const response of responses) expect(response).toMatchObject({ status: 200, body: { ok: true, workflowId: `call:ringostat:${callId}` } });
    await h.result(callId);
    // Re-sent after the call was written: acknowledged, nothing started.
    expect(await h.send('end', incomingCall(callId))).toMatchObject({ status: 200, body: { outcome: 'call-already-finished' } });
    await expectAnsweredNewClient(h, callId);
    const runs = [];
    for await (const run of h.temporal.workflow.list({ query: `WorkflowId = "call:ringostat:${callId}"` })) runs.push(run);
    expect(runs).toHaveLength(1);
  });

  it('M1: every moment sent 3 times (start, answer, end) → one lead, one task', async () => {
    const h = harness();
    const callId = h.uniqueCallId();
    const call = incomingCall(callId);
    for (const [moment, parameters] of [['start', ringing(call)], ['answer', { ...ringing(call), connected_with: 'ivan' }]] as const) {
      for (let i = 0; i < 3; i++) expect(await h.send(moment, parameters)).toMatchObject({ status: 200 });
    }
    await Promise.all([1, 2, 3].map(() => h.send('end', call)));
    // Each moment reaches the call once: Temporal accepts a re-send of a moment without signalling it again (#11 item 4).
    expect((await h.result(callId)).eventsReceived).toBe(3);
    await expectAnsweredNewClient(h, callId);
  });

  it('M1: events out of order (answer before start, then end) → the call as it happened', async () => {
    const h = harness();
    const callId = h.uniqueCallId();
    const call = incomingCall(callId);
    await h.send('answer', { ...ringing(call), connected_with: 'ivan' });
    await h.send('start', ringing(call));
    await h.send('end', without(call, 'connected_with'));
    expect((await h.result(callId)).plan?.rule).toBe('M1');
    await expectAnsweredNewClient(h, callId);
  });

  it('M1: the end webhook first, start and answer late → written once from the end; the late ones change nothing', async () => {
    const h = harness();
    const callId = h.uniqueCallId();
    const call = incomingCall(callId);
    await h.send('end', call);
    await h.result(callId);
    const late = await Promise.all([h.send('start', ringing(call)), h.send('answer', { ...ringing(call), connected_with: 'maria' })]);
    for (const response of late) expect(response).toMatchObject({ status: 200, body: { outcome: 'call-already-finished' } });
    await expectAnsweredNewClient(h, callId);
  });
});
