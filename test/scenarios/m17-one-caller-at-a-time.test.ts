/**
 * M17 (#11 item 7): calls of one caller are decided and written one after another, so a caller who calls several
 * times at once — or whose calls reconciliation and backfill start together — gets one lead, not one per call.
 * Calls of different callers still run side by side.
 */
import { callWorkflowId } from '../../temporal/contracts';
import { CLIENT, eventually, expectCrm, incomingCall, linkedTo, useScenarioHarness, waitInATerminatedShard } from './scenario-kit';

// One request per record (issue 15): these faults and partial writes are about separate writes; a composite
// request rolls a refused plan back whole (test/zoho/composite-writes.test.ts, zoho-rejects-data.test.ts).
const harness = useScenarioHarness({ composite: false });

it('M17: 5 answered calls of one new caller, their end webhooks sent at once → 1 lead with the 5 calls\' tasks on it', async () => {
  const h = harness();
  const callIds = Array.from({ length: 5 }, () => h.uniqueCallId());
  const responses = await Promise.all(callIds.map((callId) => h.send('end', incomingCall(callId))));
  for (const response of responses) expect(response).toMatchObject({ status: 200, body: { ok: true } });
  const views = await Promise.all(callIds.map((callId) => h.result(callId)));

  expect(views.map((view) => view.status)).toEqual(Array(5).fill('written'));
  const crm = await expectCrm(h, { Leads: 1, Tasks: 5 });
  const lead = { module: 'Leads' as const, id: String(crm.Leads[0].id) };
  expect(crm.Leads[0]).toMatchObject({ Phone: CLIENT });
  for (const task of crm.Tasks) expect(task).toMatchObject(linkedTo(lead));
  // The first call created the lead (M1); each later one found it (M4).
  expect(views.map((view) => view.plan?.rule).sort()).toEqual(['M1', 'M4', 'M4', 'M4', 'M4']);
});

it('M17: a call whose write hangs holds only its own caller: another caller\'s call is written meanwhile', async () => {
  const h = harness();
  // The first lead Zoho commits gets no answer for 4 s, then a retry finds it by its marker: caller A holds its turn.
  await h.admin.addFault({ kind: 'timeout-after-commit', delayMs: 4_000, match: { method: 'POST', module: 'Leads' } });
  const [first, second] = [h.uniqueCallId(), h.uniqueCallId()];
  const other = '+380509876543';
  expect(await h.send('end', incomingCall(first))).toMatchObject({ status: 200 });
  await eventually(async () => ((await h.records('Leads')).length === 1 ? true : undefined));

  expect(await h.send('end', incomingCall(second, { caller: other }))).toMatchObject({ status: 200 });
  expect(await h.result(second)).toMatchObject({ status: 'written' });
  // Caller B is in the CRM while caller A's call still waits for its lead's answer: A wrote no task yet.
  const meanwhile = await expectCrm(h, { Leads: 2, Tasks: 1 });
  const otherLead = meanwhile.Leads.find((lead) => lead.Phone === other)!;
  expect(meanwhile.Tasks[0]).toMatchObject(linkedTo({ module: 'Leads', id: String(otherLead.id) }));
  expect(await h.status(first)).toMatchObject({ status: 'writing' });

  expect(await h.result(first)).toMatchObject({ status: 'written' });
  await expectCrm(h, { Leads: 2, Tasks: 2 });
});

it('M17: a call terminated while it holds its caller\'s turn does not block the caller\'s next call (its lease runs out)', async () => {
  const h = harness();
  await h.admin.addFault({ kind: 'timeout-after-commit', delayMs: 3_000, match: { method: 'POST', module: 'Leads' } });
  const [first, second] = [h.uniqueCallId(), h.uniqueCallId()];
  expect(await h.send('end', incomingCall(first))).toMatchObject({ status: 200 });
  await eventually(async () => ((await h.records('Leads')).length === 1 ? true : undefined));
  await h.temporal.workflow.getHandle(callWorkflowId('ringostat', first)).terminate('operator stops the call');

  expect(await h.send('end', incomingCall(second))).toMatchObject({ status: 200 });
  expect(await h.result(second)).toMatchObject({ status: 'written', plan: { rule: 'M4' } });
  const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
  expect(crm.Tasks[0]).toMatchObject(linkedTo({ module: 'Leads', id: String(crm.Leads[0].id) }));
});

it('M17: a call waiting for its caller\'s turn is written even when an operator terminates the callers\' shard it waits in', async () => {
  const h = harness();
  const [first, second] = [h.uniqueCallId(), h.uniqueCallId()];
  await waitInATerminatedShard(h, first, second);

  expect(await h.result(first)).toMatchObject({ status: 'written', plan: { rule: 'M1' } });
  expect(await h.result(second)).toMatchObject({ status: 'written', plan: { rule: 'M4' } });
  const crm = await expectCrm(h, { Leads: 1, Tasks: 2 });
  for (const task of crm.Tasks) expect(task).toMatchObject(linkedTo({ module: 'Leads', id: String(crm.Leads[0].id) }));
}, 90_000);

it('M17: a call waiting in a terminated shard does not join a new queue while the call ahead of it still writes, so the two never decide side by side', async () => {
  const h = harness();
  const [first, second] = [h.uniqueCallId(), h.uniqueCallId()];
  // The first call's lead is held before Zoho commits it: nothing the second call could look up yet.
  await waitInATerminatedShard(h, first, second, { kind: 'hold' });

  // Once the second call has checked on the call ahead (after 10 s of waiting): that call still runs, so the second
  // still waits, and has decided nothing.
  const waiting = h.temporal.workflow.getHandle(callWorkflowId('ringostat', second));
  await eventually(async () => {
    const events = (await waiting.fetchHistory()).events ?? [];
    const checks = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'callRunning').map((e) => String(e.eventId));
    return events.some((e) => checks.includes(String(e.activityTaskCompletedEventAttributes?.scheduledEventId))) ? true : undefined;
  }, 30_000);
  expect(await h.status(second)).toMatchObject({ status: 'in-progress', waitingForCallerTurn: { heldBy: callWorkflowId('ringostat', first) } });
  await h.admin.clearFaults();
  expect(await h.result(first)).toMatchObject({ status: 'written', plan: { rule: 'M1' } });
  // Its next check, 20 s on, would join again and write it (the test before this one): not waited for here.
  await waiting.terminate('test: seen waiting');
  await expectCrm(h, { Leads: 1, Tasks: 1 });
}, 60_000);
