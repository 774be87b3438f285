/**
 * Bounded events (#11 item 4, L2): a call's history cannot be blown up by its webhooks. An event keeps only the
 * parameters callmatrix uses; one still too large after that is refused with 413 and the reason; re-sends of a
 * moment are accepted without adding to the history. (Before, 60 re-sent 1 MB starts made Temporal terminate a call.)
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { callWorkflowId } from '../../temporal/contracts';
import { MAX_CALL_EVENT_BYTES } from '../../telephony/used-parameters';
import { expectCrm, incomingCall, ringing, useScenarioHarness } from './scenario-kit';

const harness = useScenarioHarness();
const SIGNALED = temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED;

it('L2: 100 re-sent start events with 450 KB bodies, then the end → the call is written; its history holds each moment once and stays small', async () => {
  const h = harness();
  const callId = h.uniqueCallId();
  const call = incomingCall(callId);
  const padding = 'x'.repeat(450_000);
  const start = { ...ringing(call), crm_debug_dump: padding, additional_call_data: JSON.stringify({ visitor_trace: padding }) };
  for (let batch = 0; batch < 10; batch += 1) {
    const responses = await Promise.all(Array.from({ length: 10 }, () => h.send('start', start)));
    for (const response of responses) expect(response).toMatchObject({ status: 200, body: { ok: true, outcome: 'delivered' } });
  }
  expect(await h.send('end', { ...call, crm_debug_dump: padding })).toMatchObject({ status: 200 });
  expect(await h.result(callId)).toMatchObject({ status: 'written', eventsReceived: 2 });
  await expectCrm(h, { Leads: 1, Tasks: 1 });

  const history = await h.temporal.workflow.getHandle(callWorkflowId('ringostat', callId)).fetchHistory();
  const events = history.events ?? [];
  expect(events.filter((event) => event.eventType === SIGNALED)).toHaveLength(2);
  expect(events.length).toBeLessThan(40);
  // Neither padding reached Temporal: the whole history is a few KB, not the 450 KB of a single body.
  expect(temporal.api.history.v1.History.encode(history).finish().length).toBeLessThan(32 * 1024);
});

it(`L4: an event still over ${MAX_CALL_EVENT_BYTES} bytes once trimmed (a parameter callmatrix uses) → 413 naming it; no call started`, async () => {
  const h = harness();
  const callId = h.uniqueCallId();
  const response = await h.send('end', incomingCall(callId, { landing: `https://shop.example.com/?q=${'y'.repeat(70_000)}` }));
  expect(response.status).toBe(413);
  expect(response.body).toMatchObject({ ok: false, errors: [expect.stringMatching(new RegExp(`at most ${MAX_CALL_EVENT_BYTES}.*landing \\(\\d+ bytes\\)`))] });
  await expect(h.temporal.workflow.getHandle(callWorkflowId('ringostat', callId)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
});
