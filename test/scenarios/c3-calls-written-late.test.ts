/**
 * C3 with calls written after they happened (R2 resend after re-activation, L1 reconciliation): the callback task of
 * a missed call is created when the call is written, not when the client called. An answered call that came after
 * the missed one still reaches the client, so it closes the callback even though the task is newer than that call.
 */
import { endOnly, incomingCall, missedCall, outgoingCall, ringostatTime, settings, useScenarioHarness, type CrmRecord } from './scenario-kit';

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
