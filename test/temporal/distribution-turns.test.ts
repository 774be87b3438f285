/**
 * O4: the missed-call round robin hands out turns through updates of one long-lived workflow, which the server
 * keeps at most 10 of in flight. A burst of missed calls (a backfill's) shares updates, and each call still gets a
 * turn of its own, the same one when it asks again.
 */
import { createCallControlActivities } from '../../activities/call-control';
import { callerKeyFrom } from '../../temporal/caller-key';
import { distributionWorkflowId } from '../../temporal/contracts';
import { startCallHarness, type CallHarness } from '../support/call-harness';

describe('the missed-call round robin', () => {
  let h: CallHarness;
  beforeAll(async () => {
    h = await startCallHarness();
  });
  afterAll(() => h?.stop());

  const callControl = () => createCallControlActivities({ temporal: h.temporal, taskQueue: h.taskQueue, callerKey: callerKeyFrom(h.deployment.encryptionKey) });

  it('O4: a burst of missed calls, more than the server keeps in flight on one workflow, shares its updates; each call gets a turn of its own', async () => {
    const distribution = h.temporal.workflow.getHandle(distributionWorkflowId(h.taskQueue));
    const updatesSoFar = async () => {
      const history = await distribution.fetchHistory().catch(() => ({ events: [] }));
      return (history.events ?? []).filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes).length;
    };
    const before = await updatesSoFar();
    const round = callControl();
    const calls = Array.from({ length: 40 }, () => `call:test:${h.uniqueCallId()}`);

    const turns = await Promise.all(calls.map((call) => round.takeDistributionTurn(call)));
    const first = Math.min(...turns);
    expect([...turns].sort((a, b) => a - b)).toEqual(calls.map((_, i) => first + i));
    expect((await updatesSoFar()) - before).toBeLessThanOrEqual(2);

    // A retried take (an activity retry, another worker) gets the call's turn again, not the next one.
    expect(await callControl().takeDistributionTurn(calls[7])).toBe(turns[7]);
  });
});
