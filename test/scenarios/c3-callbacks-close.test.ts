/**
 * C3: a callback task callmatrix created (M8, M9, M13, M14) is completed, with a note naming the call, once a later
 * call reaches the client within the window; tasks callmatrix did not make, tasks older than the window, and every
 * task when the feature is off stay open.
 */
import { CLIENT, endOnly, expectCrm, incomingCall, minutesAgo, missedCall, outgoingCall, ringing, runCall, seedLead, seedTask, settings, useScenarioHarness, type CrmRecord } from './scenario-kit';

const harness = useScenarioHarness();

const callbackOf = (tasks: CrmRecord[]) => tasks.find((t) => String(t.Subject).startsWith('Call back'))!;

it('C3: M8 callback task, then an answered outgoing call from another employee → the task is completed with a note naming that call', async () => {
  const h = harness();
  await seedLead(h, { ownerId: h.users.maria.id });
  expect((await endOnly(h, missedCall(h.uniqueCallId()))).plan?.rule).toBe('M8');

  const callId = h.uniqueCallId();
  const view = await endOnly(h, outgoingCall(callId));
  expect(view).toMatchObject({ status: 'written', plan: { rule: 'M10' } });

  const crm = await expectCrm(h, { Leads: 1, Tasks: 2 });
  const callback = callbackOf(crm.Tasks);
  expect(callback).toMatchObject({ Subject: `Call back ${CLIENT}: missed call`, Status: 'Completed', Owner: expect.objectContaining({ id: h.users.maria.id }) });
  expect(String(callback.Description)).toContain('Call: incoming, missed');
  expect(String(callback.Description)).toMatch(new RegExp(`Completed by callmatrix: the client was reached by an answered outgoing call by Ivan Petrenko on .*, ringostat call ${callId.replace('.', '\\.')}\\.`));
});

it('C3: an answered incoming call closes an M9 callback too; a task that callmatrix did not make stays open', async () => {
  const h = harness();
  expect((await endOnly(h, missedCall(h.uniqueCallId()))).plan?.rule).toBe('M9');
  const [lead] = await h.records('Leads');
  const foreign = await seedTask(h, { what: { module: 'Leads', id: String(lead.id) }, ownerId: h.users.andrii.id, subject: `Call back ${CLIENT}: missed call` });

  const callId = h.uniqueCallId();
  expect((await endOnly(h, incomingCall(callId, { connected_with: 'maria' }))).status).toBe('written');

  const tasks = await h.records('Tasks');
  const ours = tasks.find((t) => String(t.Subject).startsWith('Call back') && t.id !== foreign)!;
  expect(ours).toMatchObject({ Status: 'Completed' });
  expect(String(ours.Description)).toContain(`the client was reached by an answered incoming call, taken by Maria Shevchenko`);
  expect(tasks.find((t) => t.id === foreign)).toMatchObject({ Status: 'Not Started' });
});

it('C3: the callback task of another number stays open, even one whose number starts with the client\'s (#15: found by the number in its subject, in the lookup\'s request)', async () => {
  const h = harness();
  const longer = `${CLIENT}8`;
  expect((await endOnly(h, missedCall(h.uniqueCallId()))).plan?.rule).toBe('M9');
  expect((await endOnly(h, missedCall(h.uniqueCallId(), { caller: '+380509876543' }))).plan?.rule).toBe('M9');
  const [lead] = (await h.records('Leads')).filter((l) => l.Phone === CLIENT);
  // A callback task callmatrix made (its marker) for a number one digit longer, linked to the client's own lead.
  await h.admin.seedRecords('Tasks', [
    {
      Subject: `Call back ${longer}: missed call`,
      Status: 'Not Started',
      What_Id: { id: String(lead.id) },
      $se_module: 'Leads',
      Owner: { id: h.users.maria.id },
      Description: 'Call: incoming, missed\n\ncallmatrix ref 0123456789abcdef01234567',
    },
  ]);

  expect((await endOnly(h, incomingCall(h.uniqueCallId(), { connected_with: 'maria' }))).status).toBe('written');

  const callbacks = (await h.records('Tasks')).filter((t) => String(t.Subject).startsWith('Call back'));
  const statusOf = (number: string) => callbacks.find((t) => String(t.Subject).startsWith(`Call back ${number}:`))?.Status;
  expect(statusOf(CLIENT)).toBe('Completed');
  expect(statusOf('+380509876543')).toBe('Not Started');
  expect(statusOf(longer)).toBe('Not Started');
});

it('C3: a callback task older than the window stays open', async () => {
  const h = harness();
  settings(h, { callbacks: { windowHours: 2 } });
  const leadId = await seedLead(h, { ownerId: h.users.maria.id, createdTime: minutesAgo(600) });
  // A callback callmatrix made three hours ago (it carries callmatrix's marker).
  const [old] = await h.admin.seedRecords(
    'Tasks',
    [{ Subject: `Call back ${CLIENT}: missed call`, Status: 'Not Started', What_Id: { id: leadId }, $se_module: 'Leads', Owner: { id: h.users.maria.id }, Description: 'Call: incoming, missed\n\ncallmatrix ref 0123456789abcdef01234567' }],
    { createdTime: minutesAgo(180) },
  );
  expect((await endOnly(h, outgoingCall(h.uniqueCallId()))).status).toBe('written');
  expect((await h.records('Tasks')).find((t) => t.id === old.id)).toMatchObject({ Status: 'Not Started' });

  settings(h, { callbacks: { windowHours: 4 } });
  expect((await endOnly(h, outgoingCall(h.uniqueCallId()))).status).toBe('written');
  expect((await h.records('Tasks')).find((t) => t.id === old.id)).toMatchObject({ Status: 'Completed' });
});

it('C3: switched off (callbacks.closeWhenReached: false), the callback task stays open', async () => {
  const h = harness();
  settings(h, { callbacks: { closeWhenReached: false } });
  await seedLead(h, { ownerId: h.users.maria.id });
  await endOnly(h, missedCall(h.uniqueCallId()));
  expect((await endOnly(h, outgoingCall(h.uniqueCallId()))).status).toBe('written');
  expect(callbackOf(await h.records('Tasks'))).toMatchObject({ Status: 'Not Started' });
});

it('C3, O1: with records created before the call, the callback task is still completed by an answered call (the lookup made while it rang is reused)', async () => {
  const h = harness();
  settings(h, { matrix: { createBeforeCall: true } });
  expect((await endOnly(h, missedCall(h.uniqueCallId()))).plan?.rule).toBe('M9');

  const callId = h.uniqueCallId();
  const call = incomingCall(callId, { connected_with: 'maria' });
  const view = await runCall(h, callId, [
    ['start', ringing(call)],
    ['answer', { ...ringing(call), connected_with: 'maria' }],
    ['end', call],
  ]);
  expect(view).toMatchObject({ status: 'written', plan: { rule: 'M5' } });

  const callback = callbackOf(await h.records('Tasks'));
  expect(callback).toMatchObject({ Status: 'Completed' });
  expect(String(callback.Description)).toContain('the client was reached by an answered incoming call, taken by Maria Shevchenko');
});
