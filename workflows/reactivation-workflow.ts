/**
 * Re-activation (R2, R3): resumes every suspended call in call order, one after the other, with the admin's
 * decision. Calls inside the resend window are written; older ones end as expired; without "send data to the CRM
 * after re-activation" they end as discarded. Started by the activation page or CLI; a second re-activation
 * replaces a running one, and calls already resumed are not touched again.
 */
import { log, proxyActivities } from '@temporalio/workflow';
import type { CallActivities } from '../activities';
import type { ReactivationInput, ReactivationReport } from '../temporal/contracts';
import { resendWindowStart } from './resend-window';

const ops = proxyActivities<CallActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', nonRetryableErrorTypes: ['IntegrationBrokenAgain'] },
});


/** Calls that suspend while a round runs (a signal that was in flight) are picked up by the next round. */
const MAX_ROUNDS = 3;

export async function reactivationWorkflow(input: ReactivationInput): Promise<ReactivationReport> {
  // Without resend every suspended call is discarded: the window does not matter, and Zoho is not asked.
  const window = input.resend ? await ops.resendWindow() : { days: 1, timeZone: 'UTC' };
  const windowStart = resendWindowStart(new Date().toISOString(), window.days, window.timeZone);
  let resumed = 0;
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const calls = await ops.listSuspendedCalls();
    if (calls.length === 0) break;
    for (const workflowId of calls) {
      await ops.resumeCall({ workflowId, decision: { resend: input.resend, windowStart, timeZone: window.timeZone } });
      resumed += 1;
    }
  }
  log.info('re-activation finished', { resumed, windowStart, resend: input.resend });
  return { windowStart, resumed };
}
