/**
 * R2, R3 on the real Temporal server and the Zoho emulator: a call resumed by one re-activation is refused again
 * and suspends again, and tells that re-activation so (a signal to it). A newer re-activation can resume the call
 * while that signal is still in flight — it lists the call as suspended as soon as the call says so. That resume
 * must not be lost: otherwise the call stays suspended and the newer re-activation waits on it for ever, holding
 * up every suspended call after it.
 *
 * The race is made deterministic: the resume is sent from another process while the worker holds the task that
 * sends the report (test/support/signal-while-task-in-flight.ts).
 */
import type { History } from '@temporalio/common/lib/proto-utils';
import { startCallHarness, type CallHarness } from '../support/call-harness';
import { resumeWhileReporting } from '../support/reactivation-kit';
import { signalWhileTaskInFlight } from '../support/signal-while-task-in-flight';
import { eventually, waitForStatus } from '../scenarios/scenario-kit';

type HistoryEvent = NonNullable<History['events']>[number];

const hook = signalWhileTaskInFlight();
let h: CallHarness;
beforeAll(async () => {
  h = await startCallHarness({ logger: hook.logger });
});
afterAll(async () => h?.stop());

it('R3: a resume that arrives while the call reports its second suspension is kept; the call is written once', async () => {
  const race = await resumeWhileReporting(h, hook);
  expect(race.firstReactivation).toMatchObject({ cause: { type: 'IntegrationBrokenAgain' } });
  expect(race.resumeSent).toBe(true);

  // The race happened: the newer resume is in the history between the second report and that report's outcome.
  const { resumes, secondReport, newerResume, reportOutcome } = await eventually(async () => {
    const events = (await h.temporal.workflow.getHandle(race.workflowId).fetchHistory()).events ?? [];
    const at = (found: (event: HistoryEvent) => unknown, from = 0) => events.findIndex((event, i) => i >= from && Boolean(found(event)));
    const firstReport = at((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes);
    const second = at((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes, firstReport + 1);
    const outcome = at((e) => e.externalWorkflowExecutionSignaledEventAttributes ?? e.signalExternalWorkflowExecutionFailedEventAttributes, second + 1);
    if (firstReport < 0 || second < 0 || outcome < 0) return undefined;
    return {
      resumes: events.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'resume').length,
      secondReport: second,
      newerResume: at((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'resume', second),
      reportOutcome: outcome,
    };
  });
  expect(resumes).toBe(2);
  expect(newerResume).toBeGreaterThan(secondReport);
  expect(newerResume).toBeLessThan(reportOutcome);

  await waitForStatus(h, race.callId, 'written');
  expect((await h.records('Leads')).filter((lead) => lead.Phone === race.phone)).toHaveLength(1);
});
