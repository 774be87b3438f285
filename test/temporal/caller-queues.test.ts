/**
 * M17 (#15): the callers' queues a shard holds, as plain state (workflows/caller-queues.ts). The shard workflow's
 * handlers and sweep only call these, so the rules of the turn are here; caller-turn-lookup.test.ts and the M17
 * scenarios run them in a real shard on a real server.
 */
import { CallerQueues } from '../../workflows/caller-queues';

const holder = (workflowId: string, request = 1) => ({ workflowId, runId: `${workflowId}-run`, request });
const [A, B] = ['caller-a', 'caller-b'];
const T = 1_000_000;

describe("a shard's callers' queues", () => {
  it('M17: a call is granted its caller\'s turn at once when nobody is ahead; the next waits, told which call holds the turn, until it is given up', () => {
    const queues = new CallerQueues();
    expect(queues.join(A, holder('call-1'), T)).toEqual({ granted: true, lastTurnEndedAt: null });
    expect(queues.join(A, holder('call-2'), T + 1)).toEqual({ granted: false, lastTurnEndedAt: null, heldBy: 'call-1' });
    expect(queues.untoldHeads()).toEqual([]);

    queues.leave(holder('call-1'), T + 50);
    expect(queues.untoldHeads()).toEqual([expect.objectContaining(holder('call-2'))]);
    queues.told(queues.untoldHeads()[0], T + 60);
    expect(queues.untoldHeads()).toEqual([]);
    // A join after the turn ended hears when it ended: a lookup sent before then does not count.
    expect(queues.join(A, holder('call-3'), T + 70)).toEqual({ granted: false, lastTurnEndedAt: T + 50, heldBy: 'call-2' });
  });

  it("M17: callers of one shard do not wait for each other", () => {
    const queues = new CallerQueues();
    queues.join(A, holder('call-1'), T);
    expect(queues.join(B, holder('call-2'), T)).toEqual({ granted: true, lastTurnEndedAt: null });
  });

  it('M17: a retried join keeps its place and its answer; a call leaves by its holder alone, once', () => {
    const queues = new CallerQueues();
    queues.join(A, holder('call-1'), T);
    queues.join(A, holder('call-2'), T);
    expect(queues.join(A, holder('call-1'), T + 5)).toEqual({ granted: true, lastTurnEndedAt: null });
    expect(queues.join(A, holder('call-2'), T + 5)).toEqual({ granted: false, lastTurnEndedAt: null, heldBy: 'call-1' });
    // The call's other turn (its before-call writes took request 1) is another place in the queue.
    expect(queues.join(A, holder('call-1', 2), T + 5)).toEqual({ granted: false, lastTurnEndedAt: null, heldBy: 'call-1' });

    queues.leave(holder('call-2'), T + 10);
    queues.leave(holder('call-2'), T + 20);
    queues.leave(holder('unknown'), T + 30);
    expect(queues.join(A, holder('call-4'), T + 40)).toEqual({ granted: false, lastTurnEndedAt: T + 10, heldBy: 'call-1' });
  });

  it('M17: a turn held for the lease or longer is checked, and again a lease after a check found its run running', () => {
    const queues = new CallerQueues();
    queues.join(A, holder('call-1'), T);
    queues.join(B, holder('call-2'), T + 4_000);
    expect(queues.heldSince(10_000, T + 9_999)).toEqual([]);
    const [held] = queues.heldSince(10_000, T + 10_000);
    expect(held).toMatchObject(holder('call-1'));
    expect(queues.holds(held)).toBe(true);
    queues.told(held, T + 10_000);
    expect(queues.heldSince(10_000, T + 14_000).map((call) => call.workflowId)).toEqual(['call-2']);
    queues.leave(held, T + 15_000);
    expect(queues.holds(held)).toBe(false);
  });

  it('M17: forgets a caller an idle period after the last turn ended, never one with a call queued', () => {
    const queues = new CallerQueues();
    queues.join(A, holder('call-1'), T);
    queues.join(B, holder('call-2'), T);
    queues.leave(holder('call-1'), T + 100);
    queues.forgetIdle(60_000, T + 60_099);
    expect(queues.join(A, holder('call-3'), T + 60_099)).toEqual({ granted: true, lastTurnEndedAt: T + 100 });
    queues.leave(holder('call-3'), T + 60_100);
    queues.forgetIdle(60_000, T + 120_100);
    expect(queues.empty).toBe(false);
    // A forgotten caller's next join hears that no turn ended lately.
    expect(queues.join(A, holder('call-4'), T + 120_200)).toEqual({ granted: true, lastTurnEndedAt: null });
    queues.leave(holder('call-4'), T + 120_300);
    queues.leave(holder('call-2'), T + 120_300);
    queues.forgetIdle(60_000, T + 180_300);
    expect(queues.empty).toBe(true);
  });

  it('M17: a shard continued as new carries every queue: holder, waiting calls and when a turn last ended', () => {
    const queues = new CallerQueues();
    queues.join(A, holder('call-1'), T);
    queues.join(A, holder('call-2'), T);
    queues.join(B, holder('call-3'), T);
    queues.leave(holder('call-3'), T + 30);
    const next = new CallerQueues(JSON.parse(JSON.stringify(queues.carry())));

    expect(next.join(A, holder('call-1'), T + 40)).toEqual({ granted: true, lastTurnEndedAt: null });
    expect(next.join(B, holder('call-4'), T + 40)).toEqual({ granted: true, lastTurnEndedAt: T + 30 });
    next.leave(holder('call-1'), T + 50);
    expect(next.untoldHeads()).toEqual([expect.objectContaining(holder('call-2'))]);
  });
});
