/**
 * C3 with calls written after they happened (R2 resend after re-activation, L1 reconciliation): the callback task of
 * a missed call is created when the call is written, not when the client called. An answered call that came after
 * the missed one still reaches the client, so it closes the callback even though the task is newer than that call.
 */
import { CLIENT, endOnly, eventually, incomingCall, missedCall, outgoingCall, ringing, ringostatTime, seedLead, seedTask, settings, useScenarioHarness, type CrmRecord } from './scenario-kit';

const harness = useScenarioHarness();

const ago = (minutes: number) => ringostatTime(new Date(Date.now() - minutes * 60_000));
const callbacks = (tasks: CrmRecord[]) => tasks.filter((t) => String(t.Subject).startsWith('Call back'));

it('C3, R2: missed at -60 min and answered at -30 min, both written now, in that order → the callback is completed', async () => {
  const h = harness();
  expect((await endOnly(h, missedCall(h.uniqueCallId(), { calldate: ago(60) }))).plan?.rule).toBe('M9');
  expect((await endOnly(h, incomingCall(h.uniqueCallId(), { calldate: ago(30), connected_with: 'maria' }))).status).toBe('written');

  const [callback] = callbacks(await h.records('Tasks'));
  expect(callback).toMatchObject({ Status: 'Completed' });
});

it('C3: an answered call from before the missed call does not close its callback, whatever order they are written in', async () => {
  const h = harness();
  expect((await endOnly(h, missedCall(h.uniqueCallId(), { calldate: ago(30) }))).plan?.rule).toBe('M9');
  expect((await endOnly(h, outgoingCall(h.uniqueCallId(), { calldate: ago(60) }))).status).toBe('written');

  const [callback] = callbacks(await h.records('Tasks'));
  expect(callback).toMatchObject({ Status: 'Not Started' });
});

it('C3, R2: a missed call from before the window, written now, keeps its callback open when the client is reached now', async () => {
  const h = harness();
  settings(h, { callbacks: { windowHours: 2 } });
  expect((await endOnly(h, missedCall(h.uniqueCallId(), { calldate: ago(180) }))).plan?.rule).toBe('M9');
  expect((await endOnly(h, outgoingCall(h.uniqueCallId()))).status).toBe('written');

  const [callback] = callbacks(await h.records('Tasks'));
  expect(callback).toMatchObject({ Status: 'Not Started' });
});

describe('C3, L1: a missed call written after an answered call that came later (lost webhooks recovered, a late event)', () => {
  const calls = (h: ReturnType<typeof harness>) => h.records('Calls');

  it('C3, M8: answered at -30 min written first, the missed call at -60 min after it → its callback task is written completed, naming the answered call\'s task', async () => {
    const h = harness();
    expect((await endOnly(h, incomingCall(h.uniqueCallId(), { calldate: ago(30), connected_with: 'maria' }))).plan?.rule).toBe('M1');
    const answered = (await h.records('Tasks')).find((t) => String(t.Subject).startsWith(`Call from ${CLIENT}: answered`))!;
    expect((await endOnly(h, missedCall(h.uniqueCallId(), { calldate: ago(60) }))).plan?.rule).toBe('M8');

    const [callback] = callbacks(await h.records('Tasks'));
    expect(callback).toMatchObject({ Status: 'Completed' });
    expect(String(callback.Description)).toContain('Call back');
    expect(String(callback.Description)).toMatch(new RegExp(`Completed by callmatrix: the client was reached afterwards by an answered call on .*"Call from \\${CLIENT}: answered.*" \\(task ${String(answered.id)}\\)\\.`));
  });

  it('C3, C1: with the employee\'s task switched off, the answered call\'s Calls record tells the client was reached', async () => {
    const h = harness();
    settings(h, { matrix: { callRecords: true, scenarios: { 'answered-new-client': { completedTask: false } } } });
    expect((await endOnly(h, incomingCall(h.uniqueCallId(), { calldate: ago(30) }))).plan?.rule).toBe('M1');
    const [record] = await calls(h);
    expect((await endOnly(h, missedCall(h.uniqueCallId(), { calldate: ago(60) }))).plan?.rule).toBe('M8');

    const [callback] = callbacks(await h.records('Tasks'));
    expect(callback).toMatchObject({ Status: 'Completed' });
    expect(String(callback.Description)).toContain(`"Incoming call from ${CLIENT}" (Calls record ${String(record.id)})`);
  });

  it('C3: an answered call after the window (callbacks.windowHours) leaves the callback open', async () => {
    const h = harness();
    settings(h, { callbacks: { windowHours: 1 } });
    expect((await endOnly(h, incomingCall(h.uniqueCallId(), { calldate: ago(30) }))).plan?.rule).toBe('M1');
    expect((await endOnly(h, missedCall(h.uniqueCallId(), { calldate: ago(100) }))).plan?.rule).toBe('M8');

    const [callback] = callbacks(await h.records('Tasks'));
    expect(callback).toMatchObject({ Status: 'Not Started' });
  });

  it('C3: records callmatrix did not write say nothing, and tasks it did not write stay as they are', async () => {
    const h = harness();
    const leadId = await seedLead(h, { ownerId: h.users.maria.id });
    // Someone else's completed "answered" task from 30 minutes ago, and someone else's open callback task.
    await h.admin.seedRecords('Tasks', [
      { Subject: `Call from ${CLIENT}: answered (1:00)`, Status: 'Completed', What_Id: { id: leadId }, $se_module: 'Leads', Owner: { id: h.users.andrii.id }, Description: `Time: ${ago(30).slice(0, 16)} (Europe/Kyiv)` },
    ]);
    const foreign = await seedTask(h, { what: { module: 'Leads', id: leadId }, ownerId: h.users.andrii.id, subject: `Call back ${CLIENT}: missed call` });
    expect((await endOnly(h, missedCall(h.uniqueCallId(), { calldate: ago(60) }))).plan?.rule).toBe('M8');

    const tasks = await h.records('Tasks');
    expect(callbacks(tasks).find((t) => t.id !== foreign)).toMatchObject({ Status: 'Not Started' });
    expect(tasks.find((t) => t.id === foreign)).toMatchObject({ Status: 'Not Started' });
  });
});

it('C3, O1, L1: a missed call that rang with O1 on, its end event late (lost, then read from the call log), after an answered call with its client was written → the callback is written completed', async () => {
  const h = harness();
  settings(h, { matrix: { createBeforeCall: true } });
  const missedId = h.uniqueCallId();
  const missed = missedCall(missedId, { calldate: ago(60) });
  await h.send('start', ringing(missed));
  await eventually(async () => ((await h.records('Tasks')).length === 1 ? true : undefined));
  expect((await endOnly(h, incomingCall(h.uniqueCallId(), { calldate: ago(30), connected_with: 'maria' }))).status).toBe('written');
  const answered = (await h.records('Tasks')).find((t) => String(t.Subject).startsWith(`Call from ${CLIENT}: answered`))!;

  expect((await endOnly(h, missed)).plan?.rule).toBe('M9');
  const [callback] = callbacks(await h.records('Tasks'));
  expect(callback).toMatchObject({ Status: 'Completed' });
  expect(String(callback.Description)).toContain(`(task ${String(answered.id)})`);
});

it('C3, M11, C1: a manager\'s answered call to a number the CRM did not know yet, logged in the Calls module (outgoing-unknown callRecord on), then the missed call before it written late (M9) → its callback is written completed', async () => {
  const h = harness();
  settings(h, { matrix: { callRecords: true, scenarios: { 'outgoing-unknown': { callRecord: true } } } });
  expect((await endOnly(h, outgoingCall(h.uniqueCallId(), { calldate: ago(30) }))).plan?.rule).toBe('M11');
  const [record] = await h.records('Calls');
  expect((await endOnly(h, missedCall(h.uniqueCallId(), { calldate: ago(60) }))).plan?.rule).toBe('M9');

  const [callback] = callbacks(await h.records('Tasks'));
  expect(callback).toMatchObject({ Status: 'Completed' });
  expect(String(callback.Description)).toContain(`"Outgoing call to ${CLIENT}: answered" (Calls record ${String(record.id)})`);
});
