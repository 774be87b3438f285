/**
 * The callers' queues of one shard of callers: the calls of one caller look the caller up, decide and write one
 * after another, so each sees the lead the previous one created and no caller gets two leads (M17). Calls of other
 * callers run in parallel. A caller belongs to one of `CALLER_QUEUE_SHARDS` shards by its keyed hash
 * (temporal/caller-key.ts); neither the shard nor its history holds a number.
 *
 * One long-lived workflow per shard, not one per caller (#15): a call joins with an update of a running workflow
 * (a worker sends the joins that arrive together in one) and leaves with a signal, so a new caller costs no
 * workflow start, no workflow context in the worker and no timers of its own. The queues' state is plain
 * (workflows/caller-queues.ts). The server suggests continuing as new when the history grows long, and also
 * before a run reaches its limit of updates (2,000 by default).
 *
 * The head of a caller's queue holds the turn until it says it is done (`callerTurnDoneSignal`, from its last
 * write or the call's `finally`, also when the call fails or suspends). A holder that can no longer say so —
 * terminated, timed out, reset — is found out by its lease: every SWEEP the shard asks whether the runs holding a
 * turn for LEASE or longer still run, and passes the turn on for those that do not. The shard forgets a caller
 * IDLE after its last turn, ends when it holds no caller, and continues as new when its history grows long or a
 * worker starts (`startNewRunSignal`). A run terminated or reset by an operator loses its queues; the calls that
 * waited in them join again now and then (workflows/caller-turn.ts), so they are not left waiting.
 */
import { allHandlersFinished, condition, continueAsNew, getExternalWorkflowHandle, log, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CallActivities } from '../activities';
import { callerTurnDoneSignal, callerTurnSignal, joinCallerQueueUpdate } from '../temporal/contracts';
import { CallerQueues, type CarriedCallerQueues, type QueuedCall } from './caller-queues';
import { newRunAsked } from './new-run-asked';

/** How long a holder keeps the turn before the shard checks that its run still runs. */
const LEASE_MS = 10_000;
/**
 * How often the shard checks leases and forgets idle callers: one timer per shard, whatever the number of callers.
 * A turn whose run ended without giving it up is passed on within LEASE + SWEEP; each sweep costs a workflow task.
 */
const SWEEP = '10 seconds';
/**
 * A caller without calls for this long is forgotten; its next call's join then answers that no turn ended lately.
 * That holds while this is far longer than the clock margin of a lookup made alongside the join plus the join's
 * own way to the server (activities/lookup-with-turn.ts): keep it long.
 */
const IDLE_MS = 60_000;

const temporal = proxyLocalActivities<CallActivities>({ startToCloseTimeout: '30 seconds', retry: { maximumInterval: '1 minute' } });

export async function callerQueueShardWorkflow(carried: CarriedCallerQueues = []): Promise<void> {
  const queues = new CallerQueues(carried);
  setHandler(joinCallerQueueUpdate, (joins) => joins.map(({ callerKey, holder }) => queues.join(callerKey, holder, Date.now())));
  setHandler(callerTurnDoneSignal, (holder) => queues.leave(holder, Date.now()));
  const asked = newRunAsked();
  const continueAsNewDue = () => workflowInfo().continueAsNewSuggested || asked();

  const tell = async (head: QueuedCall) => {
    try {
      await getExternalWorkflowHandle(head.workflowId, head.runId).signal(callerTurnSignal, head.request);
      queues.told(head, Date.now());
    } catch (error) {
      // The run ended while it waited (terminated, reset, timed out): the next call's turn.
      log.info('a queued call ended before its turn', { workflowId: head.workflowId, error: String(error) });
      queues.leave(head, Date.now());
    }
  };
  const checkLease = async (head: QueuedCall) => {
    if (await temporal.callRunIsOpen(head)) queues.told(head, Date.now());
    else if (queues.holds(head)) {
      log.warn('the call holding the turn ended without giving it up; passing it on', { workflowId: head.workflowId });
      queues.leave(head, Date.now());
    }
  };

  for (;;) {
    if (continueAsNewDue()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof callerQueueShardWorkflow>(queues.carry());
    }
    const untold = queues.untoldHeads();
    if (untold.length > 0) {
      await Promise.all(untold.map(tell));
      continue;
    }
    if (await condition(() => queues.untoldHeads().length > 0 || continueAsNewDue(), SWEEP)) continue;
    await Promise.all(queues.heldSince(LEASE_MS, Date.now()).map(checkLease));
    queues.forgetIdle(IDLE_MS, Date.now());
    if (queues.empty && allHandlersFinished()) return;
  }
}
