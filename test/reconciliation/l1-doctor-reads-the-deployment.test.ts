/**
 * L1 and operations: the doctor judges the deployment from what Temporal knows of it — the workers polling the task
 * queue, and the reconciliation Schedule as the workers set it — not from the environment it happens to run in. A
 * doctor run in the webhook shim's container (no RINGOSTAT_API_KEY) no longer misreports a worker that has the key,
 * and a doctor that has the key no longer hides a worker that lacks it. Real Temporal server, real worker.
 */
import { diagnose, type DoctorFacts } from '../../activation';
import { reconciliationScheduleId } from '../../temporal/contracts';
import { readDeploymentFacts } from '../../temporal/deployment-facts';
import { startCallHarness, type CallHarness } from '../support/call-harness';
import { fileSettings } from '../activation/support';

let h: CallHarness;
beforeAll(async () => {
  // No call log given: the worker pauses reconciliation, as one started without RINGOSTAT_API_KEY does.
  h = await startCallHarness();
});
afterAll(async () => {
  await h?.temporal.schedule.getHandle(reconciliationScheduleId(h.taskQueue)).delete().catch(() => undefined);
  await h?.stop();
});

/** The doctor's verdict on a connected, otherwise healthy org, with the doctor's own environment as given. */
async function problemsSeenBy(doctorHasTheKey: boolean, taskQueue: string) {
  const facts: DoctorFacts = {
    health: { status: 'connected', since: new Date().toISOString() },
    fileSettings: fileSettings({}),
    choices: { employees: {} },
    callLogConfigured: doctorHasTheKey,
    deployment: await readDeploymentFacts(h.temporal, taskQueue),
  };
  return diagnose(facts).filter((p) => p.rule === 'L1' || p.rule === 'Operations');
}

it("L1: a worker without RINGOSTAT_API_KEY is reported even by a doctor that has the key (the worker's Schedule is read)", async () => {
  const deployment = await readDeploymentFacts(h.temporal, h.taskQueue);
  expect(deployment.workers.length).toBeGreaterThan(0);
  expect(deployment.reconciliationSchedule).toEqual({ paused: true, note: 'off: RINGOSTAT_API_KEY is not set on the worker' });
  expect(await problemsSeenBy(true, h.taskQueue)).toEqual([expect.objectContaining({ rule: 'L1', problem: expect.stringContaining('(RINGOSTAT_API_KEY is not set on the worker)') })]);
});

it('a task queue no worker polls: calls would wait in Temporal, and the doctor says so', async () => {
  const lonely = `${h.taskQueue}-without-workers`;
  expect(await readDeploymentFacts(h.temporal, lonely)).toEqual({ taskQueue: lonely, workers: [], reconciliationSchedule: undefined });
  expect((await problemsSeenBy(true, lonely)).map((p) => p.rule)).toEqual(['Operations']);
});
