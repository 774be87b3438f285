/**
 * Calls wait suspended for days, so workflow code changes while calls are in flight. Every history recorded in
 * test/replay/histories/ (by `npm run record-histories`, old ones kept in subfolders) is replayed on the current
 * workflow bundle with the SDK's replayer: a change that would give an in-flight call different commands fails
 * here with the SDK's nondeterminism error. Changes go behind `patched()` (README, "Changing workflow code").
 */
import { DefaultLogger, makeTelemetryFilterString, Runtime, Worker } from '@temporalio/worker';
import { createDataConverter } from '../../temporal/data-converter';
import path from 'node:path';
import { workflowTypes } from '../../temporal/contracts';
import { DECIDED_UP_FRONT } from '../../workflows/patches';
import { coverageProblem, patchesAfterFirstLocalActivity, readRecordedHistories, SITUATIONS, type Situation } from './situations';
import { TEST_ONLY_HISTORY_KEY } from './test-only-key';

const recorded = readRecordedHistories();

/**
 * A history that does not replay is reported below, by file: keep the replay worker's own logs to errors. The
 * runtime is one per process, and a jest worker that ran a harness before this file has installed it already.
 * Installed by the replaying test alone: a runtime no worker ever used keeps the process alive, so
 * `jest test/replay -t <another test>` would not exit.
 */
function installQuietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } } });
  } catch {
    // Installed by an earlier test file in this jest worker.
  }
}

/** The SDK's error, with the core's nondeterminism message (which event the code no longer matches) up front. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const nondeterminism = /\[TMPRL1100\][^"]*/.exec(error.message)?.[0];
  return nondeterminism ? `${error.name}: ${nondeterminism}` : `${error.name}: ${error.message}`;
}

it('a recorded history covers each situation: suspended and resumed (R1, R3) and resumed again while reporting (R3), a copied resume refused (R3, security), O1, O4 and its continued-as-new distribution, reset, failed, M1, O1 and M1 for a foreign caller in digits only, C2 late recording and grace passing, a missed call that rang with O1 on written late (C3), re-activation, a caller queue taking turns and a call waiting for its turn (M17), reconciliation (L1)', () => {
  const problems = (Object.keys(SITUATIONS) as Situation[]).map((situation) => {
    const current = recorded.find(({ file }) => file === `${situation}.json`);
    if (!current) return `${situation}: no history (run npm run record-histories)`;
    return coverageProblem(situation, current.recorded.workflowType, current.history);
  });
  expect(problems.filter(Boolean)).toEqual([]);
});

it('a call decides its patches before its first local activity, so one finishing across workflow tasks leaves no patch unknown on replay (workflows/patches.ts)', () => {
  const latest = recorded.filter(({ file, recorded: { workflowType } }) => !file.includes(path.sep) && workflowType === workflowTypes.call);
  expect(latest.length).toBeGreaterThan(0);
  const late = latest.flatMap(({ file, history }) => patchesAfterFirstLocalActivity(history.events ?? [], DECIDED_UP_FRONT).map((id) => `${file}: ${id}`));
  expect(late).toEqual([]);
});

it('every recorded history replays on the current workflow code without nondeterminism', async () => {
  const workflowBundlePath = process.env.CALLMATRIX_TEST_WORKFLOW_BUNDLE;
  if (!workflowBundlePath) throw new Error('the jest global setup did not bundle the workflows');
  installQuietRuntime();
  const replays = Worker.runReplayHistories(
    { workflowBundle: { codePath: workflowBundlePath }, dataConverter: createDataConverter(TEST_ONLY_HISTORY_KEY) },
    recorded.map(({ recorded: { workflowId }, history }) => ({ workflowId, history })),
  );
  // Histories are replayed one after the other, results in the same order.
  const failures: string[] = [];
  let index = 0;
  for await (const { error } of replays) {
    if (error) failures.push(`${recorded[index].file}: ${describeFailure(error)}`);
    index += 1;
  }
  expect(index).toBe(recorded.length);
  expect(failures).toEqual([]);
});
