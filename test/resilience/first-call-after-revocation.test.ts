/**
 * R1: the first call after the admin's password change is the one that discovers it. Its very first Zoho step
 * (loading the CRM context, on a worker that has nothing cached yet) is refused: the call suspends and the
 * integration is marked broken for every process.
 */
import { startCallHarness, type CallHarness } from '../support/call-harness';

let h: CallHarness;
beforeAll(async () => {
  h = await startCallHarness();
});
afterAll(async () => h?.stop());

it('R1: a call whose first Zoho request is refused suspends and marks the integration broken', async () => {
  await h.admin.revokeAllTokens();
  const callId = h.uniqueCallId();
  await h.send('end', { uniqueid: callId, call_type: 'in', caller: '+380671112233', disposition: 'ANSWERED', billsec: '20', connected_with: 'ivan' });
  const deadline = Date.now() + 30_000;
  while ((await h.status(callId).catch(() => undefined))?.status !== 'suspended') {
    if (Date.now() > deadline) {
      throw new Error(`call ${callId} did not suspend`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(h.activation.broken()).toMatchObject({ reason: expect.stringMatching(/re-activated/) });
  expect(await h.records('Leads')).toEqual([]);
});
