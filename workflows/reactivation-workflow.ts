/**
 * Re-activation (R2, R3): resumes every suspended call in call order, one after the other, with the admin's
 * decision. Calls inside the resend window are written; older ones end as expired; without "send data to the CRM
 * after re-activation" they end as discarded. Started by the activation page or CLI; a second re-activation
 * replaces a running one, and calls already resumed are not touched again. A run resumes nothing unless it claims
 * the ticket its start was issued, which no copy of an earlier start carries.
 */
import { condition, log, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CallActivities } from '../activities';
import { resumedCallSignal, type ReactivationInput, type ReactivationReport } from '../temporal/contracts';
import { integrationBrokenAgain } from '../temporal/failures';
import { REFUSED_COPIED_REACTIVATION_MESSAGE } from '../temporal/refused-payload';
import { refuse } from '../temporal/refuse-input';
import { CLAIMED_REACTIVATIONS } from './patches';
import { resendWindowStart } from './resend-window';

const ops = proxyActivities<CallActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' },
});

/** Calls that suspend while a round runs (a signal that was in flight) are picked up by the next round. */
const MAX_ROUNDS = 3;
/**
 * A resumed call tells how it ended; one that can no longer tell (an operator terminated it) is noticed by asking
 * Temporal after this long without word, so the calls after it are not held up for ever.
 */
const SILENT_CALL_CHECK = '2 minutes';

export async function reactivationWorkflow(input: ReactivationInput): Promise<ReactivationReport> {
  /** How each resumed call ended, by call workflow id: told by the call itself (`resumedCallSignal`). */
  const outcomes = new Map<string, { suspendedAgain: boolean }>();
  setHandler(resumedCallSignal, ({ callWorkflowId, suspendedAgain }) => {
    outcomes.set(callWorkflowId, { suspendedAgain });
  });
  const { workflowId, runId } = workflowInfo();
  // Only the latest start an admin made may resume calls: one copied from a history claims no ticket.
  if (patched(CLAIMED_REACTIVATIONS) && !(await ops.claimReactivation(input.ticket))) refuse('reactivation', REFUSED_COPIED_REACTIVATION_MESSAGE);

  // Without resend every suspended call is discarded: the window does not matter, and Zoho is not asked.
  const window = input.resend ? await ops.resendWindow() : { days: 1, timeZone: 'UTC' };
  const windowStart = resendWindowStart(new Date().toISOString(), window.days, window.timeZone);
  let resumed = 0;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const calls = await ops.listSuspendedCalls();
    if (calls.length === 0) break;
    for (const callWorkflowId of calls) {
      const decision = { resend: input.resend, windowStart, reactivation: { workflowId, runId }, timeZone: window.timeZone };
      // The next call is resumed only once this one has finished, so calls are written in call order.
      if (await ops.resumeCall({ workflowId: callWorkflowId, decision })) {
        while (!(await condition(() => outcomes.has(callWorkflowId), input.silentCallCheck ?? SILENT_CALL_CHECK))) {
          if (!(await ops.callRunning(callWorkflowId))) break;
        }
        if (outcomes.get(callWorkflowId)?.suspendedAgain) throw integrationBrokenAgain(callWorkflowId);
      }
      resumed += 1;
    }
  }
  log.info('re-activation finished', { resumed, windowStart, resend: input.resend });
  return { windowStart, resumed };
}
