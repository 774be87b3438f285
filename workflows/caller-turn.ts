/**
 * The call workflow's side of its caller's queue (workflows/caller-queue-shard-workflow.ts): runs the lookup, decision
 * and writes of a call in its caller's turn, so two calls of one caller never decide on the same "new client" and
 * create two leads (M17). Calls the matrix leaves alone (no lookup) take no turn.
 */
import { CancellationScope, condition, getExternalWorkflowHandle, log, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CallActivities } from '../activities';
import {
  callerTurnDoneSignal,
  callerTurnSignal,
  KEEP_ALIVE_HEARTBEAT_TIMEOUT_MS,
  type CallerTurnAnswer,
  type CallerTurnHolder,
  type CallerTurnToGiveUp,
} from '../temporal/contracts';
import type { CallerLookup, ClientLookupQuery } from '../matrix/input';
import { FEWER_WORKFLOW_TASKS, LOOKUP_WITH_TURN, REJOIN_LOST_QUEUES } from './patches';

/**
 * A regular activity, not a local one: joining the queue waits for the queue workflow to take the update, and a
 * local activity would hold this call's workflow-task slot meanwhile. A burst of calls then held every slot of the
 * worker while their queues waited for one (the bench's open loop of 200 calls wrote 8 in 120 s).
 */
const temporal = proxyActivities<CallActivities>({
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: KEEP_ALIVE_HEARTBEAT_TIMEOUT_MS,
  retry: { maximumInterval: '1 minute' },
});

/**
 * Runs the turn's last write: `write` gets the turn to give up with it (undefined outside a turn, and in calls
 * recorded before the patch), and once it has returned the turn is no longer the call's.
 */
export type LastWrite = <R>(write: (giveUpTurn: CallerTurnToGiveUp | undefined) => Promise<R>) => Promise<R>;

const outsideATurn: LastWrite = (write) => write(undefined);

/**
 * How long a call waits behind an earlier call of its caller before it checks on it, doubling up to the longest.
 * Once the call ahead has ended, the waiting call joins its queue again: a no-op for a queue that still has it, but
 * a queue an operator terminated or reset has lost it, and would never grant the turn it waits for. Never while the
 * call ahead still runs, which a new queue would not know of: the two would decide side by side. Long enough that a
 * turn held through a normal call's writes costs no check.
 */
const REJOIN_FIRST_MS = 10_000;
const REJOIN_LONGEST_MS = 10 * 60_000;

/**
 * Sets the handler the queue grants turns by; call once, at the start of the call workflow. `showWaiting` is told
 * when the call starts and stops waiting behind an earlier call of its caller (for the status query).
 */
export function callerTurns(showWaiting: (waiting: { heldBy?: string } | undefined) => void) {
  let granted = 0;
  let requests = 0;
  setHandler(callerTurnSignal, (request) => {
    granted = Math.max(granted, request);
  });

  const waitForTurn = async (request: number, heldBy: string | undefined, rejoin: () => Promise<CallerTurnAnswer>) => {
    showWaiting(heldBy ? { heldBy } : {});
    try {
      // Decided where the call starts waiting, so a call recorded waiting before the patch replays as it ran.
      if (!patched(REJOIN_LOST_QUEUES)) return await condition(() => granted >= request);
      let ahead = heldBy;
      for (let waitMs = REJOIN_FIRST_MS; !(await condition(() => granted >= request, waitMs)); waitMs = Math.min(2 * waitMs, REJOIN_LONGEST_MS)) {
        if (ahead !== undefined && (await temporal.callRunning(ahead))) continue;
        const answer = await rejoin();
        ahead = answer.heldBy;
        if (answer.granted) granted = Math.max(granted, request);
        else showWaiting(ahead ? { heldBy: ahead } : {});
      }
    } finally {
      showWaiting(undefined);
    }
  };

  return {
    /**
     * Runs `work` in the caller's turn, and gives the turn up when it ends, however it ends: with its last write
     * (`LastWrite`) when that succeeded, otherwise here. `work` gets the caller's lookup when the join brought one
     * that is as good as one made in the turn; otherwise it looks the caller up itself. `lookUp: false` when it
     * has the lookup already (O1's, made while the call rang).
     */
    async during<T>(
      lookupQuery: ClientLookupQuery | undefined,
      work: (lastWrite: LastWrite, lookup?: CallerLookup) => Promise<T>,
      { lookUp = true } = {},
    ): Promise<T> {
      if (!lookupQuery) return work(outsideATurn);
      const { workflowId, runId } = workflowInfo();
      const holder: CallerTurnHolder = { workflowId, runId, request: ++requests };
      const turn: { queueWorkflowId: string; granted: boolean; heldBy?: string; lookup?: CallerLookup } = lookUp && patched(LOOKUP_WITH_TURN)
        ? await temporal.queueForCallerTurnWithLookup({ holder, lookupQuery })
        : await temporal.queueForCallerTurn({ clientPhone: lookupQuery.clientPhone, holder });
      let givenUp = false;
      const lastWrite: LastWrite = async (write) => {
        // The last write gives the turn up itself: no signal from here, and no workflow task waiting for it. Decided
        // where the write is scheduled, so a call recorded before the patch replays as it ran.
        const giveUpTurn = patched(FEWER_WORKFLOW_TASKS) ? { queueWorkflowId: turn.queueWorkflowId, holder } : undefined;
        const result = await write(giveUpTurn);
        givenUp = giveUpTurn !== undefined;
        return result;
      };
      const rejoin = async () => {
        const answer = await temporal.queueForCallerTurn({ clientPhone: lookupQuery.clientPhone, holder });
        turn.queueWorkflowId = answer.queueWorkflowId;
        return answer;
      };
      try {
        if (!turn.granted) await waitForTurn(holder.request, turn.heldBy, rejoin);
        return await work(lastWrite, turn.lookup);
      } finally {
        if (!givenUp) await CancellationScope.nonCancellable(() => giveUp(turn.queueWorkflowId, holder));
      }
    },
  };
}

async function giveUp(queueWorkflowId: string, holder: CallerTurnHolder): Promise<void> {
  try {
    await getExternalWorkflowHandle(queueWorkflowId).signal(callerTurnDoneSignal, holder);
  } catch (error) {
    // The queue is gone (ended idle long after, or terminated): nobody waits behind this call.
    log.info("the caller's queue has ended", { error: String(error) });
  }
}
