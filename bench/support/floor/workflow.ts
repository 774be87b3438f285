/**
 * Temporal's floor for a call: a workflow of the same shape as callmatrix's call workflow on its usual path,
 * with nothing of callmatrix in it. Signal-with-start delivers the event; then two local activities (the CRM
 * context and the caller lookup) and one activity (the plan's writes), each returning at once, or with the lookup
 * and the write waiting `zohoLatencyMs`. The result is when the write ended.
 */
import { condition, defineSignal, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type * as activities from './activities';

export const floorEventSignal = defineSignal<[string]>('event');

const remote = proxyActivities<typeof activities>({ startToCloseTimeout: '1 minute' });
const local = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });

export async function floorWorkflow(zohoLatencyMs = 0): Promise<number> {
  let events = 0;
  setHandler(floorEventSignal, () => {
    events += 1;
  });
  await condition(() => events > 0);
  await local.loadContext();
  await local.lookup(zohoLatencyMs);
  return remote.write(zohoLatencyMs);
}
