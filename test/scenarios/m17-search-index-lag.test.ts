/**
 * M17 under Zoho's search-index lag (#15): Search does not see a record for a while after it is written, so a
 * lookup through Search would miss the lead the previous call of the same caller just made and create a second
 * one. The lookup reads through COQL, in one composite request when granted (COQL is among the composite's allowed
 * APIs), which sees a record the moment it is committed: a new caller who calls twice gets one lead, composite
 * requests on or off.
 */
import { CLIENT, expectCrm, incomingCall, linkedTo, missedCall, useScenarioHarness } from './scenario-kit';

describe.each([
  ['composite requests on', true],
  ['composite requests off', false],
])('%s', (_mode, composite) => {
  const harness = useScenarioHarness({ composite });

  it('M17: two calls of one new caller back to back, Search 10 s behind → 1 lead with both calls\' tasks', async () => {
    const h = harness();
    await h.admin.updateSettings({ searchIndexLagMs: 10_000 });
    const [first, second] = [h.uniqueCallId(), h.uniqueCallId()];
    expect(await h.send('end', incomingCall(first))).toMatchObject({ status: 200 });
    expect(await h.result(first)).toMatchObject({ status: 'written', plan: { rule: 'M1' } });
    expect(await h.send('end', missedCall(second))).toMatchObject({ status: 200 });
    expect(await h.result(second)).toMatchObject({ status: 'written', plan: { rule: 'M8' } });

    const crm = await expectCrm(h, { Leads: 1, Tasks: 2 });
    expect(crm.Leads[0]).toMatchObject({ Phone: CLIENT });
    for (const task of crm.Tasks) expect(task).toMatchObject(linkedTo({ module: 'Leads', id: String(crm.Leads[0].id) }));
  });
});
