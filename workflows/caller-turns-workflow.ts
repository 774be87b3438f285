/**
 * **Superseded by the shards of callers' queues (workflows/caller-queue-shard-workflow.ts, #15); unchanged, so the
 * queues started before the upgrade run to their end. Joins reach such a queue while it still runs
 * (activities/call-control.ts); none starts one. Remove it with its registration once no worker can find one
 * running (`WorkflowType = "callerTurnsWorkflow" AND ExecutionStatus = "Running"`).**
 *
 * One caller's queue: the calls of one caller look the caller up, decide and write one after another, so each
 * sees the lead the previous one created and no caller gets two leads (M17). Calls of other callers have other
 * queues and run in parallel. Named by a keyed hash of the number (temporal/caller-key.ts), never the number.
 *
 * The head of the queue holds the turn until it says it is done (`callerTurnDoneSignal`, sent from a `finally`,
 * also when the call fails or suspends: a suspended call gives its turn up and queues again once resumed). A holder
 * that can no longer say so — terminated, timed out, reset — is found out by its lease: every LEASE the queue asks
 * whether the holder's run still runs, and passes the turn on when it does not. The queue ends after a while
 * without calls, and continues as new when its history grows long.
 */
import { allHandlersFinished, condition, continueAsNew, getExternalWorkflowHandle, log, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CallActivities } from '../activities';
import { callerTurnDoneSignal, callerTurnSignal, joinCallerTurnsUpdate, queueForCallerTurnUpdate, type CallerTurnHolder } from '../temporal/contracts';

export interface QueuedCall extends CallerTurnHolder {
  /** The call knows the turn is its own (told by the update's answer or by `callerTurnSignal`). */
  told: boolean;
}

/** How long a holder keeps the turn before the queue checks that its run still runs. */
const LEASE = '10 seconds';
/**
 * A queue without calls for this long ends; the next call of the caller starts it again. A fresh queue answers a
 * join with no recent turn, which holds while this is far longer than the clock margin of a lookup made alongside
 * the join plus the join's own way to the server (activities/lookup-with-turn.ts): keep it long.
 */
const IDLE = '1 minute';

const temporal = proxyLocalActivities<CallActivities>({ startToCloseTimeout: '30 seconds', retry: { maximumInterval: '1 minute' } });

const same = (a: CallerTurnHolder, b: CallerTurnHolder) => a.workflowId === b.workflowId && a.runId === b.runId && a.request === b.request;

export async function callerTurnsWorkflow(queued: QueuedCall[] = []): Promise<void> {
  const queue = [...queued];
  /**
   * When a call last left the queue (workflow time), which a lookup made alongside a join is checked against
   * (`joinCallerTurnsUpdate`). A queue that starts afresh follows one that ended idle, a minute after its last turn;
   * one continued as new may follow a turn that has just ended.
   */
  let lastTurnEndedAt: number | null = workflowInfo().continuedFromExecutionRunId ? Date.now() : null;
  const leave = (index: number) => {
    queue.splice(index, 1);
    lastTurnEndedAt = Date.now();
  };
  const join = (holder: CallerTurnHolder): boolean => {
    // A retried activity queues the same turn again: it keeps its place.
    const known = queue.find((call) => same(call, holder));
    if (known) return known === queue[0] && known.told;
    queue.push({ ...holder, told: queue.length === 0 });
    return queue.length === 1;
  };
  setHandler(queueForCallerTurnUpdate, join);
  setHandler(joinCallerTurnsUpdate, (holder) => ({ granted: join(holder), lastTurnEndedAt }));
  setHandler(callerTurnDoneSignal, (holder) => {
    const index = queue.findIndex((call) => same(call, holder));
    if (index >= 0) leave(index);
  });

  for (;;) {
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof callerTurnsWorkflow>(queue);
    }
    const head = queue[0];
    if (!head) {
      if (!(await condition(() => queue.length > 0, IDLE)) && queue.length === 0) return;
      continue;
    }
    if (!head.told) {
      try {
        await getExternalWorkflowHandle(head.workflowId, head.runId).signal(callerTurnSignal, head.request);
        head.told = true;
      } catch (error) {
        // The run ended while it waited (terminated, reset, timed out): the next call's turn.
        log.info('a queued call ended before its turn', { workflowId: head.workflowId, error: String(error) });
        leave(0);
      }
      continue;
    }
    const done = await condition(() => queue[0] !== head, LEASE);
    if (!done && !(await temporal.callRunIsOpen(head)) && queue[0] === head) {
      log.warn('the call holding the turn ended without giving it up; passing it on', { workflowId: head.workflowId });
      leave(0);
    }
  }
}
