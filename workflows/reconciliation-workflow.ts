/**
 * One scheduled reconciliation run (L1), started by the reconciliation Schedule every few minutes: the activity
 * compares the call log's sliding window, anchored at this run's start, with the call workflows and starts the
 * calls the webhooks missed. A retried activity checks the same window again, which is harmless.
 */
import { log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { CallActivities } from '../activities';
import type { ReconciliationReport } from '../temporal/contracts';

const ops = proxyActivities<CallActivities>({
  startToCloseTimeout: '30 minutes',
  // A page of the log may take a few slow, retried requests before it is heartbeated.
  heartbeatTimeout: '5 minutes',
  retry: {
    initialInterval: '10 seconds',
    maximumInterval: '2 minutes',
    // A wrong or missing API key fails at once (the activity says it is not retryable); the next run asks again.
    maximumAttempts: 5,
  },
});

export async function reconciliationWorkflow(): Promise<ReconciliationReport> {
  const report = await ops.reconcileRecentCalls({ runAt: workflowInfo().startTime.toISOString() });
  log.info('reconciliation finished', { ...report });
  return report;
}
