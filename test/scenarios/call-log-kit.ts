/**
 * For scenario files whose calls are also in the telephony's call log (L1): a scenario harness whose worker
 * reconciles with the Ringostat emulator's log over real HTTP, calls put in that log, and a reconciliation run on
 * demand, as the Schedule runs it. The Schedule itself is paused: only the file's own runs read the log.
 */
import crypto from 'node:crypto';
import { startRingostatEmulator, type RingostatEmulator } from '@callmatrix/ringostat-emulator';
import type { CallLog } from '../../telephony/provider';
import { ringostatAdapter } from '../../telephony/ringostat';
import { reconciliationScheduleId, workflowTypes, type ReconciliationReport } from '../../temporal/contracts';
import type { CallHarness } from '../support/call-harness';
import { useScenarioHarness, type ScenarioHarnessOptions } from './scenario-kit';

export interface CallLogHarness {
  harness: () => CallHarness;
  /** Lists a call in the log with these webhook parameters (the log's fields have the webhook's names). */
  logCall: (parameters: Record<string, string>) => void;
  /** The log as the worker reads it, for what runs outside the worker (`backfill`). */
  callLog: () => CallLog;
}

/** `observe`: the worker's metrics and logger, for files that read them. */
export function useCallLogHarness(apiKey: string, options: Pick<ScenarioHarnessOptions, 'observe'> = {}): CallLogHarness {
  let ringostat: RingostatEmulator | undefined;
  beforeAll(async () => {
    ringostat = await startRingostatEmulator({ apiKey });
  });
  // Declared before the harness's own hooks, so it runs while the harness still has its Temporal connection.
  afterAll(async () => {
    await harness().temporal.schedule.getHandle(reconciliationScheduleId(harness().taskQueue)).delete().catch(() => undefined);
    await ringostat?.close();
  });
  const callLog = () => ringostatAdapter.openCallLog!({ apiUrl: ringostat!.url, apiKey, retryDelayMs: 10 });
  const harness = useScenarioHarness({ ...options, callLog, reconciliationOnDemand: true });
  return {
    harness,
    callLog,
    logCall: (parameters) => ringostat!.addCalls([{ ...parameters, uniqueid: parameters.uniqueid, calldate: parameters.calldate }]),
  };
}

/** Runs the reconciliation workflow once, as the Schedule does (L1). */
export const reconcileNow = (h: CallHarness): Promise<ReconciliationReport> =>
  h.temporal.workflow.execute(workflowTypes.reconciliation, { taskQueue: h.taskQueue, workflowId: `test-reconciliation-${crypto.randomUUID()}` });
