/**
 * When a lookup made alongside joining the caller's queue is as good as one made in the turn (M17, #15). The
 * caller's earlier calls write only in their turns and give a turn up after their last write committed, so a
 * lookup sent after the last turn ended has seen all they wrote. The queue tells the time by the Temporal server's
 * clock and the lookup by the worker's: the margin covers the difference between them.
 */
import type { CallerTurnAnswer } from '../temporal/contracts';

/** How far the worker's clock may be from the Temporal server's. */
export const CLOCK_SKEW_MARGIN_MS = 1_000;

/** Whether a lookup sent at `sentAt` (worker clock, epoch ms) may stand for the turn the queue answered with. */
export function lookupSeesEarlierTurns(answer: CallerTurnAnswer, sentAt: number): boolean {
  return answer.granted && (answer.lastTurnEndedAt === null || answer.lastTurnEndedAt < sentAt - CLOCK_SKEW_MARGIN_MS);
}
