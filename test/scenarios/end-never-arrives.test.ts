/**
 * A call whose end webhook never comes is neither stuck nor lost: after `calls.endEventTimeoutMinutes` it is written
 * with what its start/answer events told. Workflow timers run in real time on the dev server, so the wait is a
 * tenth of a minute here, for two calls at the same time.
 */
import { CLIENT, expectCrm, expectDueIn, incomingCall, linkedTo, owner, ringing, settings, useScenarioHarness } from './scenario-kit';

const harness = useScenarioHarness();
const OTHER_CLIENT = '+380501234567';

it('calls.endEventTimeoutMinutes: answered call without an end → M1 on the answering manager; ringing-only call → M9 callback', async () => {
  const h = harness();
  settings(h, { calls: { endEventTimeoutMinutes: 0.1 } });
  const [answered, ringingOnly] = [h.uniqueCallId(), h.uniqueCallId()];
  const before = Date.now();
  const answeredCall = incomingCall(answered);
  expect(await h.send('start', ringing(answeredCall))).toMatchObject({ status: 200 });
  expect(await h.send('answer', { ...ringing(answeredCall), connected_with: 'ivan' })).toMatchObject({ status: 200 });
  expect(await h.send('start', ringing(incomingCall(ringingOnly, { caller: OTHER_CLIENT })))).toMatchObject({ status: 200 });
  expect(await h.status(answered)).toMatchObject({ status: 'in-progress' });

  const [first, second] = await Promise.all([h.result(answered), h.result(ringingOnly)]);
  expect(Date.now() - before).toBeGreaterThanOrEqual(6_000);
  expect(first).toMatchObject({ status: 'written', plan: { rule: 'M1' } });
  expect(second).toMatchObject({ status: 'written', plan: { rule: 'M9' } });

  const crm = await expectCrm(h, { Leads: 2, Tasks: 2 });
  const lead = (phone: string) => crm.Leads.find((l) => l.Phone === phone)!;
  const taskIn = (leadId: unknown) => crm.Tasks.find((t) => (t.What_Id as { id: string } | null)?.id === leadId)!;
  expect(lead(CLIENT)).toMatchObject({ Owner: owner(h.users.ivan.id), rs_utm_source: 'google' });
  expect(taskIn(lead(CLIENT).id)).toMatchObject({ Status: 'Completed', Owner: owner(h.users.ivan.id), ...linkedTo({ module: 'Leads', id: String(lead(CLIENT).id) }) });
  // No end event told how long the call lasted: the manager reads "unknown", never "total 0:00".
  expect(taskIn(lead(CLIENT).id).Description).toContain('Call: incoming, answered (no end event from the telephony: durations unknown)');
  expect(lead(OTHER_CLIENT)).toMatchObject({ Owner: owner(h.users.senior.id) });
  const callback = taskIn(lead(OTHER_CLIENT).id);
  expect(callback).toMatchObject({ Status: 'Not Started', Owner: owner(h.users.senior.id) });
  // Without an end, the callback is due counting from the start of the call.
  expectDueIn(callback, before - 1000, 60);
}, 60_000);
