/**
 * M17 with R1–R3 (#11 item 7): a call suspended while it held its caller's turn gave the turn up, so an older call
 * of the same caller, resumed first by the re-activation, is not stuck behind it (the re-activation waits for each
 * call it resumes); once resumed, the suspended call looks the caller up again and finds the lead the other made.
 */
import { startCallHarness, type CallHarness } from '../support/call-harness';
import { expectCrm, incomingCall, linkedTo, ringostatTime, settings, TIME_ZONE } from '../scenarios/scenario-kit';
import { reactivateWith } from '../support/reactivation-kit';

let h: CallHarness;
beforeAll(async () => {
  h = await startCallHarness();
  // The shim reads each call's start in the telephony's zone, so suspended calls are resumed in call order even
  // before their workflows know the CRM's zone.
  const defaults = settings(h);
  h.setSettings({ ...defaults, telephony: { ...defaults.telephony, timeZone: TIME_ZONE } });
});
afterAll(async () => h?.stop());

async function waitUntilSuspended(callId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await h.status(callId).catch(() => undefined))?.status !== 'suspended') {
    if (Date.now() > deadline) throw new Error(`${callId} did not suspend`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it('M17, R3: two calls of one new caller suspended, one of them in its turn → re-activation writes 1 lead with both tasks', async () => {
  // Warm the worker's CRM facts, so the next call's first Zoho request is the caller lookup, in its turn.
  const warmUp = h.uniqueCallId();
  await h.send('end', incomingCall(warmUp, { caller: '+380631112233' }));
  await h.result(warmUp);
  await h.admin.reset();

  const grant = await h.admin.revokeAllTokens();
  const [older, newer] = [h.uniqueCallId(), h.uniqueCallId()];
  // The newer call ends first: Zoho refuses its lookup, in its turn, and it suspends.
  await h.send('end', incomingCall(newer, { calldate: ringostatTime(new Date(Date.now() - 60_000)) }));
  await waitUntilSuspended(newer);
  // The older call ends after the integration is known broken: it suspends before taking a turn.
  await h.send('end', incomingCall(older, { calldate: ringostatTime(new Date(Date.now() - 120_000)) }));
  await waitUntilSuspended(older);

  expect(await reactivateWith(h, grant.code)).toMatchObject({ resumed: 2 });

  expect(await h.result(older)).toMatchObject({ status: 'written', plan: { rule: 'M1' } });
  expect(await h.result(newer)).toMatchObject({ status: 'written', plan: { rule: 'M4' } });
  const crm = await expectCrm(h, { Leads: 1, Tasks: 2 });
  for (const task of crm.Tasks) expect(task).toMatchObject(linkedTo({ module: 'Leads', id: String(crm.Leads[0].id) }));
});
