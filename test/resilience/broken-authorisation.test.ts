/**
 * R1–R3 on the real Temporal server and the Zoho emulator: the admin's password change revokes every token in the
 * middle of a stream of calls. Calls in flight and new calls suspend (without hammering Zoho), survive a worker
 * restart, and on re-activation are written in call order, each exactly once, when inside the resend window;
 * older calls end as expired, and without "send data to the CRM after re-activation" as discarded.
 */
import { formatCalls } from '../../cli/calls-command';
import { listCalls } from '../../temporal/list-calls';
import { demoSettings, startCallHarness, type CallHarness } from '../support/call-harness';
import { reactivateWith } from '../support/reactivation-kit';
import { ringostatTime, TIME_ZONE, waitForStatus } from '../scenarios/scenario-kit';
import { wallClockInstant } from '../../common/local-time';

let h: CallHarness;
beforeAll(async () => {
  h = await startCallHarness();
});
afterAll(async () => h?.stop());

let phoneSequence = 0;
let expiredCallId = '';
let discardedCallId = '';

/**
 * Noon in Kyiv (the resend window's zone: the CRM account's), `days` calendar days before today there: inside the
 * window (whole days from midnight) or not by its day alone, whatever the time the test runs. A call `days` × 24 h
 * before a run in the first minute after midnight fell a day earlier.
 */
function kyivNoonDaysAgo(days: number): string {
  const today = ringostatTime().slice(0, 10);
  const day = new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  return wallClockInstant(`${day}T12:00:00`, TIME_ZONE);
}

/** A call from a new number that ended a minute ago, or that started `daysAgo` days ago (at noon). */
function newCall(options: { daysAgo?: number } = {}) {
  const callId = h.uniqueCallId();
  phoneSequence += 1;
  const phone = `+38067${String(Date.now()).slice(-5)}${String(phoneSequence).padStart(2, '0')}`;
  const params = {
    uniqueid: callId,
    calldate: options.daysAgo ? kyivNoonDaysAgo(options.daysAgo) : new Date(Date.now() - 60_000).toISOString(),
    call_type: 'in',
    caller: phone,
    dst: '+380442000000',
    disposition: 'ANSWERED',
    billsec: '30',
    duration: '40',
    connected_with: 'ivan',
    recording: `https://records.example.com/${callId}.mp3`,
  };
  return { callId, phone, params };
}

const reactivate = (grantCode: string, resend: boolean) => reactivateWith(h, grantCode, resend);

const leadsWithPhone = async (phone: string) => (await h.records('Leads')).filter((lead) => lead.Phone === phone);

it('R1–R3: suspended calls survive a worker restart and are written once, in call order, inside the window; older ones expire', async () => {
  const before = newCall();
  await h.send('end', before.params);
  expect((await h.result(before.callId)).status).toBe('written');

  // A call rings before the password change and ends after it (in flight).
  const inFlight = newCall();
  await h.send('start', inFlight.params);
  const grant = await h.admin.revokeAllTokens();
  await h.send('end', inFlight.params);
  await waitForStatus(h, inFlight.callId, 'suspended');
  const health = (await (await fetch(`${h.webhookUrl}/healthz`)).json()) as { integration: { status: string } };
  expect(health.integration.status).toBe('broken');

  // New calls while broken: accepted, suspended, and Zoho is not asked anything more.
  const requestsBefore = (await h.admin.stats()).total;
  const recent = newCall({ daysAgo: 2 });
  const old = newCall({ daysAgo: 5 });
  for (const call of [recent, old]) {
    expect((await h.send('end', call.params)).status).toBe(200);
    await waitForStatus(h, call.callId, 'suspended');
  }
  expect((await h.admin.stats()).total).toBe(requestsBefore);

  await h.restartWorker();
  const report = await reactivate(grant.code, true);
  expect(report).toMatchObject({ resumed: 3 });

  expect((await h.result(inFlight.callId)).status).toBe('written');
  expect((await h.result(recent.callId)).status).toBe('written');
  expect((await h.result(old.callId)).status).toBe('expired');
  expiredCallId = old.callId;
  expect(h.activation.broken()).toBeUndefined();

  expect(await leadsWithPhone(inFlight.phone)).toHaveLength(1);
  expect(await leadsWithPhone(recent.phone)).toHaveLength(1);
  expect(await leadsWithPhone(old.phone)).toHaveLength(0);
  // Call order: the call that started earlier (two days ago) is written before the one in flight today.
  const [recentLead] = await leadsWithPhone(recent.phone);
  const [inFlightLead] = await leadsWithPhone(inFlight.phone);
  expect(BigInt(String(recentLead.id)) < BigInt(String(inFlightLead.id))).toBe(true);
  const tasks = await h.records('Tasks');
  expect(tasks.filter((t) => (t.What_Id as { id: string }).id === recentLead.id)).toHaveLength(1);
});

it('R2: re-activation without "send data to the CRM" ends suspended calls as discarded and writes nothing', async () => {
  const grant = await h.admin.revokeAllTokens();
  const call = newCall();
  await h.send('end', call.params);
  await waitForStatus(h, call.callId, 'suspended');

  await reactivate(grant.code, false);
  expect((await h.result(call.callId)).status).toBe('discarded');
  discardedCallId = call.callId;
  expect(await leadsWithPhone(call.phone)).toHaveLength(0);

  // The integration works again for the next call.
  const next = newCall();
  await h.send('end', next.params);
  expect((await h.result(next.callId)).status).toBe('written');
});

it('R3: a second re-activation while nothing is suspended changes nothing', async () => {
  const grant = await h.admin.mintGrantCode();
  const leadsBefore = (await h.records('Leads')).length;
  expect(await reactivate(grant.code, true)).toMatchObject({ resumed: 0 });
  expect(await h.records('Leads')).toHaveLength(leadsBefore);
});

it('R2: `callmatrix calls --status expired|discarded` lists the calls an admin can still act on', async () => {
  const deadline = Date.now() + 15_000;
  let expired: Awaited<ReturnType<typeof listCalls>> = [];
  // Visibility is eventually consistent: the status search attribute lands shortly after the workflow closes.
  while (Date.now() < deadline) {
    expired = await listCalls(h.temporal, { status: 'expired', limit: 1000 });
    if (expired.some((row) => row.callId === expiredCallId)) break;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  expect(expired.find((row) => row.callId === expiredCallId)).toMatchObject({ status: 'expired', workflowId: `call:ringostat:${expiredCallId}` });
  const discarded = await listCalls(h.temporal, { status: 'discarded', limit: 1000 });
  expect(discarded.map((row) => row.callId)).toContain(discardedCallId);
  expect(formatCalls(expired)).toMatch(/^WORKFLOW\s+CALL\s+STARTED\s+STATUS/);
});

it('R3: a create whose response was lost, then refused authorisation, is not written twice after re-activation', async () => {
  const call = newCall();
  // The lead is committed but its response never arrives; before the retry, the admin's password changes.
  await h.admin.addFault({ kind: 'timeout-after-commit', count: 1, match: { method: 'POST', module: 'Leads' } });
  await h.send('end', call.params);
  const deadline = Date.now() + 20_000;
  while ((await leadsWithPhone(call.phone)).length === 0) {
    if (Date.now() > deadline) throw new Error('the lead was never committed');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const grant = await h.admin.revokeAllTokens();
  await waitForStatus(h, call.callId, 'suspended');

  await reactivate(grant.code, true);
  expect((await h.result(call.callId)).status).toBe('written');
  expect(await leadsWithPhone(call.phone)).toHaveLength(1);
});

it('R2: the resend window is configurable: with one day, yesterday\'s suspended call expires', async () => {
  h.setSettings(demoSettings(h.users, { calls: { resendWindowDays: 1 } }));
  try {
    const grant = await h.admin.revokeAllTokens();
    const yesterday = newCall({ daysAgo: 1 });
    await h.send('end', yesterday.params);
    await waitForStatus(h, yesterday.callId, 'suspended');
    await reactivate(grant.code, true);
    expect((await h.result(yesterday.callId)).status).toBe('expired');
    expect(await leadsWithPhone(yesterday.phone)).toHaveLength(0);
  } finally {
    h.setSettings(demoSettings(h.users));
  }
});

it('R3: when the authorisation breaks again while a resumed call is written, the re-activation stops there; the next one writes the call once', async () => {
  const grant = await h.admin.revokeAllTokens();
  const call = newCall();
  await h.send('end', call.params);
  await waitForStatus(h, call.callId, 'suspended');

  // The user who re-activates may not create leads: the resumed call is refused again and suspends again.
  await h.admin.addFault({ kind: 'error', status: 403, code: 'NO_PERMISSION', count: 1, match: { method: 'POST', module: 'Leads' } });
  await expect(reactivate(grant.code, true)).rejects.toMatchObject({ cause: { type: 'IntegrationBrokenAgain' } });
  expect(await h.status(call.callId)).toMatchObject({ status: 'suspended', suspensions: 2 });

  await reactivate((await h.admin.mintGrantCode()).code, true);
  expect((await h.result(call.callId)).status).toBe('written');
  expect(await leadsWithPhone(call.phone)).toHaveLength(1);
});
