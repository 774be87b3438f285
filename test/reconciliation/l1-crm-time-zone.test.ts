/**
 * L1 end to end with neither `reconciliation.timeZone` nor `telephony.timeZone` set, and the CRM account in Kyiv
 * (the Zoho emulator's org): the scheduled reconciliation and `callmatrix backfill` (the CLI, a child process
 * configured like the deployment) ask the Ringostat emulator for the window on Kyiv's wall clock — the zone the
 * webhooks' `calldate` is read in — and recover a call only the log has, written once with its right time. Counted
 * in UTC instead, the window is 2 h off and the call is never found. When Zoho cannot give the zone, the scheduled
 * run fails with a retryable error saying so, and backfill says so too; neither asks the log anything. Assertions are on the CRM's records and on what the log was asked.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RingostatEmulator } from '@callmatrix/ringostat-emulator';
import { ApplicationFailure } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';
import { searchAttributes, workflowTypes, type ReconciliationReport } from '../../temporal/contracts';
import type { CallHarness } from '../support/call-harness';
import { eventually, incomingCall, ringostatTime, TIME_ZONE } from '../scenarios/scenario-kit';
import { startZonelessHarness, stopZonelessHarness } from './zoneless-harness';
import { useCallmatrixCli } from '../support/callmatrix-cli';

const cli = useCallmatrixCli();
const ROOT = path.resolve(__dirname, '../..');
const KEY = 'crm-time-zone-test-key';
const MINUTE = 60_000;
const SECOND = 1000;

let ringostat: RingostatEmulator;
let h: CallHarness;
/** A settings file that sets no time zone, for the CLI. */
let settingsFile: string;
beforeAll(async () => {
  ({ ringostat, h } = await startZonelessHarness(KEY));
  settingsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-l1-zone-')), 'callmatrix.yaml');
  fs.writeFileSync(settingsFile, '{}\n');
});
afterAll(async () => {
  await stopZonelessHarness({ ringostat, h });
  if (settingsFile) fs.rmSync(path.dirname(settingsFile), { recursive: true, force: true });
});

/** A new client's answered call that started at `startedAt`, in the log only: Ringostat writes `calldate` on Kyiv's clock. */
function callOnlyInTheLog(startedAt: Date) {
  const callId = h.uniqueCallId();
  const caller = `+38067${crypto.randomInt(1_000_000, 9_999_999)}`;
  const calldate = ringostatTime(startedAt);
  expect(TIME_ZONE).toBe('Europe/Kyiv');
  ringostat.addCalls([{ ...incomingCall(callId, { caller }), uniqueid: callId, calldate }]);
  return { callId, caller, calldate };
}

/** The call's records in the CRM, and the time its task text gives (`Time: YYYY-MM-DD HH:MM (zone)`). */
async function written(call: { callId: string; caller: string }) {
  const leads = (await h.records('Leads')).filter((lead) => lead.Phone === call.caller);
  const tasks = (await h.records('Tasks')).filter((task) => String(task.Description).includes(`${call.callId}.mp3`));
  return { leads: leads.length, tasks: tasks.length, time: tasks.map((task) => /Time: ([^\n]*)/.exec(String(task.Description))?.[1]) };
}

/** `from`/`to` as the log must be asked for them: Kyiv wall clock, `to` inclusive to the second. */
const kyivWindow = (from: Date, to: Date) => ({ from: ringostatTime(from), to: ringostatTime(new Date(to.getTime() - SECOND)) });

function backfill(options: { from: Date; to: Date; dataDir?: string }) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
    CALLMATRIX_TASK_QUEUE: h.taskQueue,
    CALLMATRIX_DATA_DIR: options.dataDir ?? h.deployment.dataDir,
    CALLMATRIX_ENCRYPTION_KEY: h.deployment.encryptionKey,
    CALLMATRIX_SETTINGS: settingsFile,
    RINGOSTAT_API_KEY: KEY,
    RINGOSTAT_API_URL: ringostat.url,
    LOG_LEVEL: 'warn',
  };
  for (const name of ['ZOHO_CLIENT_ID', 'ZOHO_CLIENT_SECRET', 'ZOHO_REFRESH_TOKEN']) delete env[name];
  const args = ['backfill', '--from', options.from.toISOString(), '--to', options.to.toISOString()];
  return cli.run(args, { cwd: ROOT, env });
}

// First: the worker's CRM context (and with it the zone) is not cached yet, so the run must read Zoho's org.
it('L1: with no zone set and Zoho failing to give the org, the scheduled run fails with a retryable error naming the zone, never UTC', async () => {
  await h.admin.addFault({ kind: 'error', status: 500, match: { path: '/org' } });
  const asked = ringostat.requests().length;
  const run = await h.temporal.workflow.start(workflowTypes.reconciliation, { taskQueue: h.taskQueue, workflowId: `test-reconciliation-${crypto.randomUUID()}` });
  try {
    // The activity's failure while Temporal retries it, its message decrypted as a client reads it.
    const encoded = await eventually(async () => (await run.describe()).raw.pendingActivities?.[0]?.lastFailure ?? undefined, 60_000);
    const failure = await decodeOptionalFailureToOptionalError(h.temporal.options.loadedDataConverter, encoded);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'CrmTimeZoneUnknown', nonRetryable: false });
    expect(failure!.message).toMatch(/neither reconciliation\.timeZone nor telephony\.timeZone is set\), and Zoho CRM did not give it: .+set telephony\.timeZone/);
    expect(ringostat.requests().slice(asked)).toEqual([]);
  } finally {
    await run.terminate('test: seen failing');
    await h.admin.clearFaults();
  }
});

it('L1: with no zone set, the scheduled reconciliation asks the log for Kyiv’s wall-clock window and recovers a call only the log has', async () => {
  const lost = callOnlyInTheLog(new Date(Date.now() - 10 * MINUTE));
  const report: ReconciliationReport = await h.temporal.workflow.execute(workflowTypes.reconciliation, {
    taskQueue: h.taskQueue,
    workflowId: `test-reconciliation-${crypto.randomUUID()}`,
  });
  // Not the last request: a run in the hour's first minutes also sweeps for long calls.
  expect(ringostat.requests()).toContainEqual(expect.objectContaining(kyivWindow(new Date(report.from), new Date(report.to))));
  expect(report).toMatchObject({ recovered: 1, failed: 0 });

  expect((await h.result(lost.callId)).status).toBe('written');
  expect(await written(lost)).toEqual({ leads: 1, tasks: 1, time: [`${lost.calldate.slice(0, 16)} (Europe/Kyiv)`] });
  const recoveredBy = (await h.temporal.workflow.getHandle(`call:ringostat:${lost.callId}`).describe()).typedSearchAttributes.get(searchAttributes.recoveredBy);
  expect(recoveredBy).toBe('reconciliation');
});

it('L1: with no zone set, `callmatrix backfill` reads the CRM account’s zone from Zoho, asks for the range on Kyiv’s clock and recovers the call', async () => {
  const startedAt = new Date(Date.now() - 3 * 24 * 60 * MINUTE);
  const lost = callOnlyInTheLog(startedAt);
  // An hour around the call: counted in UTC, this range would end 1.5 h before the call's Kyiv wall-clock time.
  const range = { from: new Date(startedAt.getTime() - 30 * MINUTE), to: new Date(startedAt.getTime() + 30 * MINUTE) };
  const { stdout } = await backfill(range);
  expect(ringostat.requests().at(-1)).toMatchObject(kyivWindow(range.from, range.to));
  expect(stdout).toMatch(/recovered\s+1\n/);

  expect((await h.result(lost.callId)).status).toBe('written');
  expect(await written(lost)).toEqual({ leads: 1, tasks: 1, time: [`${lost.calldate.slice(0, 16)} (Europe/Kyiv)`] });
});

it('L1: when Zoho cannot give the CRM account’s zone, backfill fails saying why and what to do, and asks the log nothing', async () => {
  const asked = ringostat.requests().length;
  // A data folder with no activation: there is no Zoho CRM to read the org from.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-l1-no-zoho-'));
  try {
    const now = Date.now();
    const failure = await backfill({ from: new Date(now - 60 * MINUTE), to: new Date(now), dataDir }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/^callmatrix: backfill: the call log is read in the CRM account's time zone \(neither reconciliation\.timeZone nor telephony\.timeZone is set\), and Zoho CRM did not give it: .+ set telephony\.timeZone/);
    expect(failure?.stderr).not.toMatch(/\n\s+at /);
    expect(ringostat.requests()).toHaveLength(asked);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
