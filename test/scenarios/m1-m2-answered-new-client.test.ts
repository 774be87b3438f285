/**
 * The thin end-to-end path: Ringostat webhooks through the real shim and the real Temporal server into the Zoho
 * CRM emulator. An answered call from a new client becomes a Lead owned by the answering manager (M1) and a
 * completed Task linked to it with the recording and visit data (M2); the call itself goes to the Calls module (C1).
 */
import { startCallHarness, type CallHarness } from '../support/call-harness';
import { incomingCall } from './scenario-kit';

let h: CallHarness;
beforeAll(async () => {
  h = await startCallHarness();
});
afterAll(async () => h?.stop());

it('M1+M2: an answered call from a new client becomes a Lead on the answering manager and a completed Task on it', async () => {
  const callId = h.uniqueCallId();
  const response = await h.send('end', incomingCall(callId));
  expect(response).toMatchObject({ status: 200, body: { ok: true, workflowId: `call:ringostat:${callId}` } });

  const view = await h.result(callId);
  expect(view.status).toBe('written');
  expect(view.plan?.rule).toBe('M1');

  const leads = await h.records('Leads');
  expect(leads).toHaveLength(1);
  expect(leads[0]).toMatchObject({
    Phone: '+380671234567',
    Owner: expect.objectContaining({ id: h.users.ivan.id }),
    rs_utm_source: 'google',
    rs_utm_medium: 'cpc',
    rs_utm_campaign: 'spring',
    rs_google_client_id: 'GA1.2.345',
  });

  const tasks = await h.records('Tasks');
  expect(tasks).toHaveLength(1);
  expect(tasks[0]).toMatchObject({
    Status: 'Completed',
    Owner: expect.objectContaining({ id: h.users.ivan.id }),
    What_Id: expect.objectContaining({ id: leads[0].id }),
    $se_module: 'Leads',
  });
  expect(String(tasks[0].Description)).toContain(`https://records.example.com/${callId}.mp3`);
  expect(String(tasks[0].Description)).toContain('https://shop.example.com/sofas');
  // C1, on by default: the call itself, in the Calls module, linked to the lead.
  const calls = await h.records('Calls');
  expect(calls).toHaveLength(1);
  expect(calls[0]).toMatchObject({ Call_Type: 'Inbound', Call_Duration: '0:42', Owner: expect.objectContaining({ id: h.users.ivan.id }), What_Id: expect.objectContaining({ id: leads[0].id }) });
  // Nothing else was written.
  for (const module of ['Contacts', 'Deals', 'Notes']) expect(await h.records(module)).toEqual([]);
});

it('a re-sent webhook of a finished call is acknowledged and writes nothing more', async () => {
  const callId = h.uniqueCallId();
  await h.send('end', incomingCall(callId));
  await h.result(callId);
  const before = (await h.records('Tasks')).length;
  const again = await h.send('end', incomingCall(callId));
  expect(again).toMatchObject({ status: 200, body: { ok: true, outcome: 'call-already-finished' } });
  expect(await h.records('Tasks')).toHaveLength(before);
});

it('L4: rejects a webhook with a wrong secret (401) or an invalid call id (400, naming every invalid field) and starts nothing', async () => {
  const callId = h.uniqueCallId();
  const wrongSecret = await fetch(`${h.webhookUrl}/webhooks/ringostat?event=end&secret=nope`, { method: 'POST' });
  expect(wrongSecret.status).toBe(401);
  const invalid = await h.send('end', { ...incomingCall(callId), uniqueid: `${callId}/1`, billsec: 'forty' });
  expect(invalid.status).toBe(400);
  expect(invalid.body.errors).toEqual(['uniqueid: only letters, digits and . _ - : @', 'billsec: expected a number of seconds (42) or h:mm:ss']);
  await expect(h.status(callId)).rejects.toThrow(/not found/i);
});
