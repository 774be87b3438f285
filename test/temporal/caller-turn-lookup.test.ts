/**
 * M17 (#15): a call looks its caller up while it joins the caller's queue, and that lookup stands for one made in
 * the turn only when it has seen every record the caller's earlier calls wrote. The queue, a real workflow on the
 * test server, says when a turn last ended; the rule compares it with when the lookup was sent.
 */
import crypto from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { createCallControlActivities } from '../../activities/call-control';
import { CLOCK_SKEW_MARGIN_MS, lookupSeesEarlierTurns } from '../../activities/lookup-with-turn';
import { callerQueueShardWorkflowId, callerTurnsWorkflowId, joinCallerTurnsUpdate, workflowTypes } from '../../temporal/contracts';
import { startCallHarness, type CallHarness } from '../support/call-harness';

describe('a lookup made alongside the join', () => {
  const sentAt = Date.parse('2026-11-30T10:00:00Z');

  it('M17: counts when the turn is the call\'s at once and no turn ended in the queue lately', () => {
    expect(lookupSeesEarlierTurns({ granted: true, lastTurnEndedAt: null }, sentAt)).toBe(true);
    expect(lookupSeesEarlierTurns({ granted: true, lastTurnEndedAt: sentAt - CLOCK_SKEW_MARGIN_MS - 1 }, sentAt)).toBe(true);
  });

  it('M17: does not count when another call holds the turn: the call waits and looks up in its turn', () => {
    expect(lookupSeesEarlierTurns({ granted: false, lastTurnEndedAt: null }, sentAt)).toBe(false);
  });

  it('M17: does not count when a turn ended after it was sent, or so shortly before that the clocks cannot tell', () => {
    expect(lookupSeesEarlierTurns({ granted: true, lastTurnEndedAt: sentAt + 5 }, sentAt)).toBe(false);
    expect(lookupSeesEarlierTurns({ granted: true, lastTurnEndedAt: sentAt - CLOCK_SKEW_MARGIN_MS }, sentAt)).toBe(false);
  });
});

describe("the caller's queue", () => {
  let h: CallHarness;
  beforeAll(async () => {
    h = await startCallHarness();
  });
  afterAll(() => h?.stop());

  // Runs that do not exist: the queue passes a turn it cannot tell on.
  const holder = (request: number) => ({ workflowId: `call:test:${h.uniqueCallId()}`, runId: crypto.randomUUID(), request });

  const callControl = () => createCallControlActivities({ temporal: h.temporal, taskQueue: h.taskQueue, callerKey: h.callerKey });

  it('M17: answers when a turn last ended in it, by the Temporal server\'s clock', async () => {
    const queue = callControl();
    const clientPhone = '+380671110001';
    const first = holder(1);

    // A new caller: the queue starts with the join, and no turn can have ended lately.
    const joined = await queue.queueForCallerTurn({ clientPhone, holder: first });
    expect(joined).toMatchObject({ granted: true, lastTurnEndedAt: null });
    // The same join retried keeps its place and its answer.
    expect(await queue.queueForCallerTurn({ clientPhone, holder: first })).toMatchObject({ granted: true, lastTurnEndedAt: null });

    const second = await queue.queueForCallerTurn({ clientPhone, holder: holder(1) });
    expect(second).toMatchObject({ granted: false });

    const givenUpAt = Date.now();
    await queue.giveUpCallerTurn({ queueWorkflowId: joined.queueWorkflowId, holder: first });
    // The second call's run does not exist, so the queue passes its turn on too; then the turn is free.
    let third = await queue.queueForCallerTurn({ clientPhone, holder: holder(1) });
    for (let tries = 0; !third.granted && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      third = await queue.queueForCallerTurn({ clientPhone, holder: holder(1) });
    }
    expect(third.granted).toBe(true);
    expect(third.lastTurnEndedAt).toEqual(expect.any(Number));
    expect(third.lastTurnEndedAt!).toBeGreaterThanOrEqual(givenUpAt - CLOCK_SKEW_MARGIN_MS);
    // A lookup sent with this join has not seen what the turn that just ended wrote; one sent later has.
    expect(lookupSeesEarlierTurns(third, givenUpAt)).toBe(false);
    expect(lookupSeesEarlierTurns(third, third.lastTurnEndedAt! + CLOCK_SKEW_MARGIN_MS + 1)).toBe(true);
  });
});

describe("the callers' queues of one shard (#15)", () => {
  let h: CallHarness;
  beforeAll(async () => {
    h = await startCallHarness();
  });
  afterAll(() => h?.stop());

  const holder = (request = 1) => ({ workflowId: `call:test:${h.uniqueCallId()}`, runId: crypto.randomUUID(), request });
  const callControl = () => createCallControlActivities({ temporal: h.temporal, taskQueue: h.taskQueue, callerKey: h.callerKey });
  /** `count` numbers whose callers share a shard. */
  function neighbours(count = 2, prefix = '+38067222'): string[] {
    const shardOf = (phone: string) => callerQueueShardWorkflowId(h.taskQueue, h.callerKey(phone));
    const first = `${prefix}0000`;
    const found = [first];
    for (let n = 1; found.length < count; n++) {
      const other = `${prefix}${String(n).padStart(4, '0')}`;
      if (shardOf(other) === shardOf(first)) found.push(other);
    }
    return found;
  }

  it('M17: callers sharing a shard take turns independently, in one long-lived workflow', async () => {
    const queue = callControl();
    const [a, b] = neighbours();
    const heldByA = await queue.queueForCallerTurn({ clientPhone: a, holder: holder() });
    expect(heldByA).toMatchObject({ granted: true, queueWorkflowId: callerQueueShardWorkflowId(h.taskQueue, h.callerKey(a)) });
    expect(await queue.queueForCallerTurn({ clientPhone: b, holder: holder() })).toMatchObject({ granted: true, queueWorkflowId: heldByA.queueWorkflowId });
    expect(await queue.queueForCallerTurn({ clientPhone: a, holder: holder() })).toMatchObject({ granted: false });
    // The shard's id and history name no number.
    expect(heldByA.queueWorkflowId).not.toMatch(/380/);
    const history = JSON.stringify(await h.temporal.workflow.getHandle(heldByA.queueWorkflowId).fetchHistory());
    expect(history).not.toContain('380672220000');
  });

  it('M17: a burst of joins on one shard, more than the server keeps in flight on one workflow, shares its updates', async () => {
    const callers = neighbours(40, '+38067444');
    const shard = h.temporal.workflow.getHandle(callerQueueShardWorkflowId(h.taskQueue, h.callerKey(callers[0])));
    const updatesSoFar = async () => {
      const history = await shard.fetchHistory().catch(() => ({ events: [] }));
      return (history.events ?? []).filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes).length;
    };
    const before = await updatesSoFar();
    const queue = callControl();
    const answers = await Promise.all(callers.map((clientPhone) => queue.queueForCallerTurn({ clientPhone, holder: holder() })));
    expect(answers.map((answer) => answer.granted)).toEqual(Array(40).fill(true));
    expect((await updatesSoFar()) - before).toBeLessThanOrEqual(2);
  });

  it("M17: a caller whose own queue from before the shards still runs joins that queue until it ends", async () => {
    const clientPhone = '+380673330001';
    const legacyWorkflowId = callerTurnsWorkflowId(h.taskQueue, h.callerKey(clientPhone));
    // A call in flight across the upgrade holds its turn in the caller's own queue, started as the old version did.
    const inFlight = holder();
    await h.temporal.workflow.executeUpdateWithStart(joinCallerTurnsUpdate, {
      args: [inFlight],
      startWorkflowOperation: new WithStartWorkflowOperation(workflowTypes.callerTurns, {
        workflowId: legacyWorkflowId,
        taskQueue: h.taskQueue,
        args: [],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      }),
    });
    // Visibility lists the queue within moments.
    let queue = callControl();
    let joined = await queue.queueForCallerTurn({ clientPhone, holder: holder() });
    for (let tries = 0; joined.queueWorkflowId !== legacyWorkflowId && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      queue = callControl();
      joined = await queue.queueForCallerTurn({ clientPhone, holder: holder() });
    }
    expect(joined).toMatchObject({ queueWorkflowId: legacyWorkflowId, granted: false });

    // Once it has ended, the caller's shard takes the next call, though the list still names the old queue.
    await h.temporal.workflow.getHandle(legacyWorkflowId).terminate('ended');
    expect(await queue.queueForCallerTurn({ clientPhone, holder: holder() })).toMatchObject({
      queueWorkflowId: callerQueueShardWorkflowId(h.taskQueue, h.callerKey(clientPhone)),
      granted: true,
    });
  });
});
