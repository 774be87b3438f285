/** A workflow for heartbeat-while-running.test.ts: one activity scheduled as the call's are, with the keep-alive heartbeat timeout. */
import { proxyActivities } from '@temporalio/workflow';
import { KEEP_ALIVE_HEARTBEAT_TIMEOUT_MS } from '../../../temporal/contracts';

interface SlowActivities {
  slowStep(ms: number): Promise<string>;
}

const { slowStep } = proxyActivities<SlowActivities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: KEEP_ALIVE_HEARTBEAT_TIMEOUT_MS,
  retry: { maximumAttempts: 1 },
});

export async function keepAliveWorkflow(ms: number): Promise<string> {
  return slowStep(ms);
}
