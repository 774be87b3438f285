/**
 * O4: the missed-call round robin hands out turns through updates of one long-lived workflow, which the server
 * keeps at most 10 of in flight. A burst of missed calls (a backfill's) shares updates, and each call still gets a
 * turn of its own, the same one when it asks again. A worker's start renews the run without losing the count.
 */
import { createCallControlActivities } from '../../activities/call-control';
import { distributionWorkflowId } from '../../temporal/contracts';
import { renewLongLivedWorkflows } from '../../temporal/renew-long-lived-workflows';
import { eventually } from '../scenarios/scenario-kit';
import { startCallHarness, type CallHarness } from '../support/call-harness';

describe('the missed-call round robin', () => {
  let h: CallHarness;
  beforeAll(async () => {
    h = await startCallHarness();
  });
  afterAll(() => h?.stop());

  const callControl = () => createCallControlActivities({ temporal: h.temporal, taskQueue: h.taskQueue, callerKey: h.callerKey });

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

  it("O4: a worker's start has the round robin continue as new (key rotation); the count and the calls' turns carry over", async () => {
    const round = callControl();
    const earlier = `call:test:${h.uniqueCallId()}`;
    const before = await round.takeDistributionTurn(earlier);
    const { runId } = await h.temporal.workflow.getHandle(distributionWorkflowId(h.taskQueue)).describe();

    expect(await renewLongLivedWorkflows(h.temporal, h.taskQueue)).toBeGreaterThanOrEqual(1);
    await eventually(async () => ((await h.temporal.workflow.getHandle(distributionWorkflowId(h.taskQueue)).describe()).runId !== runId ? true : undefined));

    expect(await round.takeDistributionTurn(`call:test:${h.uniqueCallId()}`)).toBe(before + 1);
    expect(await round.takeDistributionTurn(earlier)).toBe(before);
  });
});
