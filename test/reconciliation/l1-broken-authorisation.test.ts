/**
 * L1 with R1: while the Zoho authorisation is broken, a worker started since (its CRM context not cached) still
 * reads the call log, in the CRM account's zone kept with the connection from before it broke — no zone is set,
 * and Zoho is asked nothing — and starts the call only the log has. That call waits suspended, and the
 * re-activation writes it with its Kyiv time. Before, the run failed asking Zoho for the zone, run after run, and a
 * call whose webhooks were lost during an outage longer than the log's window was never recovered.
 */
import crypto from 'node:crypto';
import type { RingostatEmulator } from '@callmatrix/ringostat-emulator';
import { workflowTypes, type ReconciliationReport } from '../../temporal/contracts';
import type { CallHarness } from '../support/call-harness';
import { incomingCall, ringostatTime, TIME_ZONE, waitForStatus } from '../scenarios/scenario-kit';
import { startZonelessHarness, stopZonelessHarness } from './zoneless-harness';
import { reactivateWith } from '../support/reactivation-kit';

const KEY = 'broken-authorisation-reconciliation-key';

let ringostat: RingostatEmulator;
let h: CallHarness;
beforeAll(async () => {
  ({ ringostat, h } = await startZonelessHarness(KEY));
});
afterAll(async () => stopZonelessHarness({ ringostat, h }));

it('L1, R1: with the authorisation broken and no zone set, reconciliation reads the log in the zone kept from before and starts the missed call, written at re-activation', async () => {
  const warmUp = h.uniqueCallId();
  await h.send('end', incomingCall(warmUp, { caller: '+380631112233' }));
  expect((await h.result(warmUp)).status).toBe('written');
  // The worker kept the zone it read for its calls with the connection.
  expect(h.activation.connection()?.timeZone).toBe(TIME_ZONE);

  const grant = await h.admin.revokeAllTokens();
  // A deployment since the break: no CRM context cached in the worker.
  await h.restartWorker();
  const suspended = h.uniqueCallId();
  await h.send('end', incomingCall(suspended, { caller: '+380631112244' }));
  await waitForStatus(h, suspended, 'suspended');
  expect(h.activation.broken()).toBeDefined();

  const lost = h.uniqueCallId();
  const caller = `+38067${crypto.randomInt(1_000_000, 9_999_999)}`;
  const calldate = ringostatTime(new Date(Date.now() - 10 * 60_000));
  ringostat.addCalls([{ ...incomingCall(lost, { caller }), uniqueid: lost, calldate }]);
  const report: ReconciliationReport = await h.temporal.workflow.execute(workflowTypes.reconciliation, {
    taskQueue: h.taskQueue,
    workflowId: `test-reconciliation-${crypto.randomUUID()}`,
  });
  expect(report).toMatchObject({ recovered: 1, failed: 0 });
  // Not the last request: a run in the hour's first minutes also sweeps for long calls.
  expect(ringostat.requests()).toContainEqual(expect.objectContaining({ from: ringostatTime(new Date(report.from)) }));
  await waitForStatus(h, lost, 'suspended');

  expect(await reactivateWith(h, grant.code)).toMatchObject({ resumed: 2 });

  expect((await h.result(lost)).status).toBe('written');
  const leads = (await h.records('Leads')).filter((lead) => lead.Phone === caller);
  const tasks = (await h.records('Tasks')).filter((task) => String(task.Description).includes(`${lost}.mp3`));
  expect([leads.length, tasks.length]).toEqual([1, 1]);
  expect(String(tasks[0].Description)).toContain(`Time: ${calldate.slice(0, 16)} (${TIME_ZONE})`);
}, 90_000);
