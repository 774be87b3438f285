/**
 * The callers' queues one shard workflow holds (workflows/caller-queue-shard-workflow.ts), as plain state: which
 * call of each caller holds the turn, who waits behind it, and when a turn last ended (M17). Pure and synchronous,
 * so the workflow's handlers stay one-liners and the rules are unit-tested without a server
 * (test/temporal/caller-queues.test.ts). Times are workflow time, epoch ms.
 */
import type { CallerTurnAnswer, CallerTurnHolder } from '../temporal/contracts';

export interface QueuedCall extends CallerTurnHolder {
  /** When the call was told the turn is its own (by the join's answer or by `callerTurnSignal`); absent until then. */
  toldAt?: number;
}

/** One caller's queue: the head holds the turn. */
export interface CallerQueue {
  calls: QueuedCall[];
  lastTurnEndedAt: number | null;
}

/** The state a shard carries into its next run when it continues as new. */
export type CarriedCallerQueues = [callerKey: string, queue: CallerQueue][];

const holderId = (holder: CallerTurnHolder) => `${holder.workflowId}\n${holder.runId}\n${holder.request}`;

export class CallerQueues {
  private readonly queues: Map<string, CallerQueue>;
  /** Which caller a queued call is in: a call gives its turn up by its holder alone (`callerTurnDoneSignal`). */
  private readonly callerOf = new Map<string, string>();

  constructor(carried: CarriedCallerQueues = []) {
    this.queues = new Map(carried);
    for (const [callerKey, queue] of carried) for (const call of queue.calls) this.callerOf.set(holderId(call), callerKey);
  }

  /**
   * Queues a call behind its caller's earlier calls. The answer grants the turn when nobody is ahead; a retried
   * join keeps its place and gets the same answer. `lastTurnEndedAt` is null when no turn of the caller ended in
   * the last `IDLE` the shard remembers, which is far longer than any lookup's way here.
   */
  join(callerKey: string, holder: CallerTurnHolder, now: number): CallerTurnAnswer {
    const queue = this.queues.get(callerKey) ?? { calls: [], lastTurnEndedAt: null };
    this.queues.set(callerKey, queue);
    const id = holderId(holder);
    const known = queue.calls.find((call) => holderId(call) === id);
    if (!known) {
      queue.calls.push({ ...holder, ...(queue.calls.length === 0 ? { toldAt: now } : {}) });
      this.callerOf.set(id, callerKey);
    }
    const head = queue.calls[0];
    const ahead = holderId(head) !== id;
    return { granted: !ahead && head.toldAt !== undefined, lastTurnEndedAt: queue.lastTurnEndedAt, ...(ahead ? { heldBy: head.workflowId } : {}) };
  }

  /** The call is done with its turn, or leaves its place; a holder the shard no longer has is ignored. */
  leave(holder: CallerTurnHolder, now: number): void {
    const id = holderId(holder);
    const callerKey = this.callerOf.get(id);
    const queue = callerKey === undefined ? undefined : this.queues.get(callerKey);
    if (!queue) return;
    queue.calls = queue.calls.filter((call) => holderId(call) !== id);
    queue.lastTurnEndedAt = now;
    this.callerOf.delete(id);
  }

  /** Calls whose turn has come and who have not been told yet. */
  untoldHeads(): QueuedCall[] {
    return [...this.queues.values()].flatMap(({ calls: [head] }) => (head && head.toldAt === undefined ? [head] : []));
  }

  told(head: QueuedCall, now: number): void {
    head.toldAt = now;
  }

  /** Heads told their turn more than `leaseMs` ago: the shard checks that their runs still run. */
  heldSince(leaseMs: number, now: number): QueuedCall[] {
    return [...this.queues.values()].flatMap(({ calls: [head] }) => (head?.toldAt !== undefined && head.toldAt <= now - leaseMs ? [head] : []));
  }

  /** Whether `call` still holds its caller's turn. */
  holds(call: QueuedCall): boolean {
    const callerKey = this.callerOf.get(holderId(call));
    return callerKey !== undefined && this.queues.get(callerKey)?.calls[0] === call;
  }

  /** Drops the callers with no call queued whose last turn ended `idleMs` ago or more. */
  forgetIdle(idleMs: number, now: number): void {
    for (const [callerKey, queue] of this.queues) {
      if (queue.calls.length === 0 && (queue.lastTurnEndedAt ?? 0) <= now - idleMs) this.queues.delete(callerKey);
    }
  }

  get empty(): boolean {
    return this.queues.size === 0;
  }

  carry(): CarriedCallerQueues {
    return [...this.queues.entries()];
  }
}
