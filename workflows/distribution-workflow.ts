/**
 * The missed-call round robin (O4) as a durable counter: one long-lived workflow hands out turns through an
 * update, so the distribution stays fair across worker restarts and between workers. A worker sends the takes that
 * arrive together in one update (activities/call-control.ts): the server keeps only 10 updates in flight per
 * workflow, and a burst of missed calls (a backfill's) would otherwise wait on the client's retries.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { takeTurnUpdate, takeTurnsUpdate } from '../temporal/contracts';
import { newRunAsked } from './new-run-asked';

export interface DistributionState {
  next: number;
  /** Turns handed out lately, by call: a retried take gets the same turn instead of skipping a manager. */
  recent: [string, number][];
}

const REMEMBERED_TAKES = 200;

export async function distributionWorkflow(state: DistributionState = { next: 0, recent: [] }): Promise<void> {
  const recent = new Map(state.recent);
  let next = state.next;
  const take = (callKey: string): number => {
    const known = recent.get(callKey);
    if (known !== undefined) return known;
    const turn = next++;
    recent.set(callKey, turn);
    if (recent.size > REMEMBERED_TAKES) recent.delete(recent.keys().next().value!);
    return turn;
  };
  // One take per update, as workers before the batched takes sent them: replayed from their histories.
  setHandler(takeTurnUpdate, take);
  setHandler(takeTurnsUpdate, (callKeys) => callKeys.map(take));
  const asked = newRunAsked();
  await condition(() => workflowInfo().continueAsNewSuggested || asked());
  await condition(allHandlersFinished);
  await continueAsNew<typeof distributionWorkflow>({ next, recent: [...recent] });
}
