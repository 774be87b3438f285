/**
 * Run by ./another-zone.test.ts in a jest process of its own whose TZ is America/Los_Angeles (issue 13, item 7, C1):
 * shim, worker and workflows live in that process, so any time read in the process's zone instead of the
 * telephony's or the CRM's (Europe/Kyiv) lands 10 hours off and fails here. Ringostat's `calldate` carries no
 * offset: it is read in `telephony.timeZone`, else in the CRM's zone.
 */
import { TIME_ZONE, expectCrm, kyivTime, missedCall, ringostatTime, settings, useScenarioHarness, waitForStatus } from '../scenarios/scenario-kit';
import { startReactivation } from '../../temporal/reactivation';
import { resendWindowStart } from '../../workflows/resend-window';
import { exchangeAuthorizationCode } from '../../zoho';

const harness = useScenarioHarness();

it('runs in a process whose own zone is neither UTC nor the CRM\'s', () => {
  expect(process.env.TZ).toBe('America/Los_Angeles');
  expect(new Date('2026-01-15T12:00:00Z').getTimezoneOffset()).toBe(480);
});

describe('a call across Kyiv\'s summer-time change (25 October 2026, 04:00 → 03:00)', () => {
  it.each([
    ['2026-10-25 02:30:00', undefined, '2026-10-25 02:30', '2026-10-25T02:30:00+03:00'],
    ['2026-10-25 05:30:00', undefined, '2026-10-25 05:30', '2026-10-25T05:30:00+02:00'],
    // The telephony's own zone configured: 05:30 in New York (summer time, -04:00) is 09:30 UTC, 11:30 in Kyiv (+02:00).
    ['2026-10-25 05:30:00', 'America/New_York', '2026-10-25 11:30', '2026-10-25T11:30:00+02:00'],
  ])('calldate %s (telephony zone %s) is the call of %s in Kyiv (Call_Start_Time %s); the callback is due an hour after it ended, by the telephony\'s clock', async (calldate, telephonyZone, kyiv, callStart) => {
    const h = harness();
    settings(h, { matrix: { callRecords: true }, ...(telephonyZone ? { telephony: { timeZone: telephonyZone } } : {}) });
    const callId = h.uniqueCallId();
    const response = await h.send('end', missedCall(callId, { calldate }));
    expect(response.status).toBe(200);
    expect((await h.result(callId)).status).toBe('written');

    const crm = await expectCrm(h, { Leads: 1, Tasks: 1, Calls: 1 });
    expect(crm.Calls[0]).toMatchObject({ Call_Type: 'Missed', Call_Start_Time: callStart });
    expect(crm.Leads[0].Description).toContain(`First call: incoming, ${kyiv} (${TIME_ZONE})`);
    const [task] = crm.Tasks;
    expect(task.Description).toContain(`Time: ${kyiv} (${TIME_ZONE})`);
    // The missed call lasted 25 s (missedCall): due an hour after its end, across the change of offset.
    expect(task.Description).toContain(`Due: ${kyivTime(Date.parse(callStart) + 25_000 + 60 * 60_000)} (${TIME_ZONE})`);
  });
});

it('R2: the resend window starts at midnight in Kyiv, not in the process\'s zone', async () => {
  const h = harness();
  const windowStart = Date.parse(resendWindowStart(new Date().toISOString(), 3, TIME_ZONE));
  const grant = await h.admin.revokeAllTokens();
  const calls = [
    { id: h.uniqueCallId(), phone: '+380671110001', calldate: ringostatTime(new Date(windowStart + 30 * 60_000)) },
    { id: h.uniqueCallId(), phone: '+380671110002', calldate: ringostatTime(new Date(windowStart - 30 * 60_000)) },
  ];
  for (const call of calls) {
    expect((await h.send('end', missedCall(call.id, { caller: call.phone, calldate: call.calldate }))).status).toBe(200);
    await waitForStatus(h, call.id, 'suspended');
  }

  const current = (await h.activation.current())!;
  const { refreshToken } = await exchangeAuthorizationCode(current, grant.code, 10_000);
  await h.activation.connect({ ...current, refreshToken, connectedAt: new Date().toISOString(), via: 'grant-code' });
  const { workflowId } = await startReactivation(h.temporal, h.activation, { taskQueue: h.taskQueue, resend: true });
  await h.temporal.workflow.getHandle(workflowId).result();

  expect((await h.result(calls[0].id)).status).toBe('written');
  expect((await h.result(calls[1].id)).status).toBe('expired');
  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  expect(crm.Leads[0].Phone).toBe(calls[0].phone);
});
