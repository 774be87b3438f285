/**
 * One durable workflow per call. The first telephony event starts it (signal-with-start), later events arrive as
 * signals. Once the call has ended it looks the caller up, lets the matrix decide, and writes the plan's records
 * through activities with retries, each write exactly once. With create-before-call (O1) it also writes the
 * ringing-time records when the call starts. While Zoho refuses the authorisation the call waits, suspended, for
 * the admin's re-activation (R1, R3), then resumes, or ends as discarded or expired (R2).
 */
import {
  ActivityFailure,
  type RetryPolicy,
  condition,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  proxySinks,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { CallActivities } from '../activities';
import type { CrmContext } from '../activities/types';
import type { CallEvent } from '../common/call-event';
import { readsOtherwiseAsInternational, type DigitsReading } from '../common/phone';
import type { CallStatus, CallStatusView } from '../temporal/call-status';
import { callDetailsMarkdown } from '../temporal/call-details';
import { callEventSignal, callStatusQuery, KEEP_ALIVE_HEARTBEAT_TIMEOUT_MS, resumedCallSignal, resumeSignal, searchAttributes, type CallWorkflowInput, type ResumeDecision, type ResumeOfSuspension } from '../temporal/contracts';
import { isAuthorizationFailure, NON_RETRYABLE_ZOHO_ERRORS, writtenBeforeRefusal } from '../temporal/failures';
import { BEFORE_CALL_KEYS } from '../matrix';
import { asksForAnsweredCalls } from '../matrix/callback-closure';
import { afterCallToDecide, beforeCallToDecide, decideAfterCall, decideBeforeCall, NO_CALLER, type CallToDecide } from '../matrix/decide';
import type { CallFacts, CallStartFacts, CallerLookup, ClientLookupQuery, CreatedBeforeCall } from '../matrix/input';
import type { Settings } from '../matrix/settings-schema';
import { REPORTED_STATUSES, type CallOutcomeSinks } from '../temporal/call-outcome';
import { REFUSED_COPIED_RESUME_MESSAGE } from '../temporal/refused-payload';
import { noteRefused } from '../temporal/refuse-input';
import { stageOf, type CallPlan, type PlanStage } from '../matrix/plan';
import { callStartTime } from '../matrix/summarize-call';
import { lateRecordingUpdates, recordingGraceMs } from '../matrix/late-recording';
import { rootCause } from '../temporal/failure-chain';
import { callerTurns, type LastWrite } from './caller-turn';
import { decidePatchesUpFront, FEWER_WORKFLOW_TASKS, FOREIGN_DIGITS, LATE_MISSED_CALL_AFTER_RINGING, LATE_RECORDINGS, REFUSE_COPIED_RESUMES, RESUME_WHILE_REPORTING } from './patches';

/** Zoho outages and rate limits are retried for as long as they last; bad data and revoked access are not. */
const retry: RetryPolicy = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '10 minutes',
  nonRetryableErrorTypes: [...NON_RETRYABLE_ZOHO_ERRORS],
};
const crm = proxyActivities<CallActivities>({ startToCloseTimeout: '2 minutes', heartbeatTimeout: KEEP_ALIVE_HEARTBEAT_TIMEOUT_MS, retry });
/**
 * Reads that need no task round trip through the server: the integration check (local state), the CRM context
 * (cached per worker for minutes) and the client lookup (reads only, so a retry is harmless). Keeping them local
 * spares the Temporal server half of a call's workflow tasks; writes stay regular activities.
 */
const local = proxyLocalActivities<CallActivities>({ startToCloseTimeout: '30 seconds', retry });

const { callOutcome } = proxySinks<CallOutcomeSinks>();

/** Shows the call's view in the Temporal UI ("Current Details") whenever it changes; local state, not a command. */
const showDetails = (view: CallStatusView) => setCurrentDetails(callDetailsMarkdown(view));

/** Ends the call early with a final status (discarded or expired) from wherever it is suspended. */
class CallClosed extends Error {
  constructor(readonly status: CallStatus) {
    super(status);
  }
}

export async function callWorkflow(start: CallWorkflowInput = {}): Promise<CallStatusView> {
  const events: CallEvent[] = [];
  const view: CallStatusView = { status: 'in-progress', eventsReceived: 0, suspensions: 0, written: [] };
  let resumeDecision: ResumeDecision | undefined;
  /** The re-activation that resumed the call and waits to hear how it ended (R3). */
  let resumedBy: ResumeDecision['reactivation'] | undefined;
  /** Whether the call keeps a resume that arrives while it tells `resumedBy` it suspended again (RESUME_WHILE_REPORTING). */
  let keepsResumeWhileReporting = false;
  /**
   * The first recording link any event brought (C2). A call decided without one takes a link from a later event
   * — a re-sent end webhook, or the call log (L1) — which the rule below would otherwise drop.
   */
  let recordingLink: string | undefined;

  setHandler(callEventSignal, (event) => {
    view.eventsReceived += 1;
    recordingLink ??= event.recordingUrl;
    // The telephony re-sends a webhook it thinks failed: only the first event of each moment counts.
    if (!events.some((e) => e.moment === event.moment)) events.push(event);
    showDetails(view);
  });
  setHandler(callStatusQuery, () => view);
  const turns = callerTurns((waiting) => {
    if (waiting) view.waitingForCallerTurn = waiting;
    else delete view.waitingForCallerTurn;
    showDetails(view);
  });
  /** A resume the `resumeCall` activity sent for the suspension the call is in, not a copy sent again (REFUSE_COPIED_RESUMES). */
  const sentForThisSuspension = ({ suspension }: ResumeOfSuspension) =>
    suspension?.runId === workflowInfo().runId && suspension.suspension === view.suspensions;
  setHandler(resumeSignal, (resume) => {
    if (view.status !== 'suspended') return;
    // The patch is asked only on a refusal: a call that accepted an unbound resume before it replays accepting it.
    if (sentForThisSuspension(resume) || !patched(REFUSE_COPIED_RESUMES)) resumeDecision = resume;
    // Whoever reaches Temporal sent a resume again: logged and counted like a forged input; the call waits on.
    else noteRefused('resume', REFUSED_COPIED_RESUME_MESSAGE);
  });

  /**
   * Each upsert is a history event and a visibility write: attributes known together go in one. `report: false`
   * returns to a status already reported (the outcome is reported once per call).
   */
  const setStatus = (status: CallStatus, alongWith: SearchAttributeUpdatePair[] = [], report = true) => {
    view.status = status;
    showDetails(view);
    upsertSearchAttributes([...alongWith, { key: searchAttributes.status, value: status }]);
    if (report && REPORTED_STATUSES.includes(status)) {
      callOutcome.reached({ status, callId: events[0]?.callId, rule: view.plan?.rule, scenario: view.plan?.scenario, records: view.written });
    }
  };

  /** Tells the re-activation that resumed the call that the call finished, or suspended again. */
  const reportToReactivation = async (suspendedAgain: boolean) => {
    const reactivation = resumedBy;
    resumedBy = undefined;
    if (!reactivation) return;
    try {
      await getExternalWorkflowHandle(reactivation.workflowId, reactivation.runId).signal(resumedCallSignal, {
        callWorkflowId: workflowInfo().workflowId,
        suspendedAgain,
      });
    } catch (error) {
      // A newer re-activation replaced that run: nobody waits for this call any more.
      log.info('the re-activation that resumed this call has ended', { error: String(error) });
    }
  };

  /** Waits for re-activation, then either carries on or closes the call as the admin decided (R2). */
  const suspend = async () => {
    const before = view.status;
    view.suspensions += 1;
    setStatus('suspended');
    log.warn('Zoho authorisation is broken: call suspended until re-activation');
    await reportToReactivation(true);
    // A call resumed before RESUME_WHILE_REPORTING dropped here a resume that arrived while it told its re-activation.
    if (!keepsResumeWhileReporting) resumeDecision = undefined;
    await condition(() => resumeDecision !== undefined);
    const decision = resumeDecision!;
    resumeDecision = undefined;
    resumedBy = decision.reactivation;
    // Decided here, after a signal: a patch first decided after a local activity's result may not replay (patches.ts).
    keepsResumeWhileReporting ||= patched(RESUME_WHILE_REPORTING);
    if (!decision.resend) throw new CallClosed('discarded');
    if (Date.parse(callStartTime(events, decision.timeZone)) < Date.parse(decision.windowStart)) throw new CallClosed('expired');
    setStatus(before, [], false);
  };

  /** Runs a Zoho step; a refused authorisation suspends the call and the step runs again after re-activation. */
  const withAuthorization = async <T>(step: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await step();
      } catch (error) {
        if (!isAuthorizationFailure(error)) throw error;
        await suspend();
      }
    }
  };

  /**
   * Looks the caller up, decides and writes in the caller's turn: one call of a caller at a time, so each sees
   * what the previous one created (M17). A refused authorisation gives the turn up for the suspension — a call
   * suspended for days must not hold its caller's later calls — and the whole step runs again once resumed,
   * deciding anew on what the CRM holds by then. `rerun`: an earlier try may have committed some of the step's
   * records — before a suspension, in a closed run of the call (L2), or in the run an operator reset. A rerun's
   * lookup leaves the call's own records out, so it decides as that try did: not, say, M5 on the lead its own O1
   * made. `lookUp` looks the caller up for the step when the join did not.
   */
  const inCallerTurn = <T>(
    stage: PlanStage,
    lookupQuery: ClientLookupQuery | undefined,
    step: (rerun: boolean, lastWrite: LastWrite, lookUp: () => Promise<CallerLookup>, lookedUp: CallerLookup | undefined) => Promise<T>,
    options?: { lookUp: boolean },
  ): Promise<T> => {
    let tries = 0;
    return withAuthorization(() => {
      const rerun = tries++ > 0 || earlierRunMayHaveWritten();
      const query = lookupQuery && rerun ? { ...lookupQuery, leaveOutRecordsOf: idempotencyPrefixOf(stage) } : lookupQuery;
      return turns.during(query, (lastWrite, lookedUp) => step(rerun, lastWrite, () => lookupCaller(query), lookedUp), options);
    });
  };

  /** A closed run of this call (L2), or the run an operator reset, may have written some of its records already. */
  const earlierRunMayHaveWritten = () => start.replacesClosedRun === true || workflowInfo().runId !== workflowInfo().originalExecutionRunId;

  /** The CRM context; a call arriving while the integration is broken waits without asking Zoho anything (R1). */
  const crmContext = async (): Promise<CrmContext> => {
    if (!patched(FEWER_WORKFLOW_TASKS)) {
      if (await local.integrationBroken()) await suspend();
      return withAuthorization(() => local.loadCrmContext());
    }
    for (;;) {
      const context = await withAuthorization(() => local.crmContextUnlessBroken());
      if (context) return context;
      await suspend();
    }
  };

  /**
   * C2: the written call, decided without a recording, stays open to one for the grace period; a link arriving in
   * it goes into the records awaiting it, once, and the call completes. The call stays `written` meanwhile: its
   * outcome was reported, its caller's turn given up, and a re-activation waiting on it is told it finished.
   */
  const addLateRecording = async (call: CallFacts, plan: CallPlan, written: ReadonlyMap<string, string>, context: CrmContext) => {
    const graceMs = recordingGraceMs(call, plan, context.settings);
    if (graceMs <= 0 || !patched(LATE_RECORDINGS)) return;
    await reportToReactivation(false);
    if (!(await condition(() => recordingLink !== undefined, graceMs))) return;
    const updates = lateRecordingUpdates({ plan, written, recordingUrl: recordingLink!, recordingField: context.callRecordingField });
    try {
      // The plan's own prefix: each update keeps the marker its record was created with.
      view.written.push(...(await withAuthorization(() => crm.applyPlan({ operations: updates, idempotencyPrefix: idempotencyPrefixOf(stageOf(plan)) }))));
      showDetails(view);
    } catch (error) {
      // The call itself stays written: the admin chose not to resend (R2), or Zoho refused the update for good
      // (a user deleted the record, say).
      if (!(error instanceof CallClosed || error instanceof ActivityFailure)) throw error;
      if (error instanceof CallClosed) setStatus('written', [], false);
      log.warn('the late recording was not added to the call', { callId: events[0]?.callId, cause: error instanceof CallClosed ? error.status : rootCause(error) });
    }
  };

  /**
   * A call recorded before foreign numbers in digits only were read as international (FOREIGN_DIGITS) decided on
   * the default country's reading, and replays so; the patch is asked only for numbers the two read differently.
   */
  const digitsReading = ({ telephony }: Settings): DigitsReading =>
    events.some(({ clientNumber }) => clientNumber !== undefined && readsOtherwiseAsInternational(clientNumber, telephony.defaultCountry)) && !patched(FOREIGN_DIGITS)
      ? 'default-country-only'
      : 'international-too';

  await condition(() => events.length > 0);
  decidePatchesUpFront();
  try {
    const context = await crmContext();
    const { settings } = context;

    const toDecideBeforeCall = beforeCallToDecide(events, context, digitsReading(settings));
    const beforeCall = await inCallerTurn('before-call', toDecideBeforeCall?.lookupQuery, async (rerun, lastWrite, lookUp, lookedUp) =>
      writeBeforeCall(context, toDecideBeforeCall, view, rerun, lastWrite, lookedUp ?? (await lookUp())),
    );
    const ended = await condition(
      () => events.some((e) => e.moment === 'end'),
      settings.calls.endEventTimeoutMinutes * 60_000,
    );
    if (!ended) log.warn('no end event arrived; processing the call with what is known');

    const afterCall = afterCallToDecide(events, context, digitsReading(settings));
    const { call } = afterCall;
    let afterCallWritten = new Map<string, string>();
    // O1 looked the caller up while the call rang: the same client, no need to ask Zoho again.
    const lookedUpWhileRinging = beforeCall?.lookup;
    const status = await inCallerTurn('after-call', afterCall.lookupQuery, async (rerun, lastWrite, lookUp, lookedUpWithTurn) => {
      const lookup = lookedUpWhileRinging
        ? await withAnsweredCallsSinceRinging(lookedUpWhileRinging, afterCall.lookupQuery, lookUp)
        : (lookedUpWithTurn ?? (await lookUp()));
      // A run that never saw the call ring learns from its lookup what the closed run made while it rang (L2, O1).
      const createdBeforeCall = beforeCall?.created ?? lookup.ownBeforeCall;
      const decision = decideAfterCall({ call, lookup, crm: context, createdBeforeCall });
      const plan = decision.plan ?? decision.withDistributionTurn(await crm.takeDistributionTurn(workflowInfo().workflowId));
      view.plan = plan;
      const decided: SearchAttributeUpdatePair[] = [
        { key: searchAttributes.direction, value: call.direction },
        { key: searchAttributes.outcome, value: call.outcome },
        { key: searchAttributes.scenario, value: plan.scenario },
        { key: searchAttributes.rule, value: plan.rule },
      ];
      if (plan.operations.length === 0 && !createdBeforeCall) {
        setStatus('ignored', decided);
        return 'ignored';
      }
      setStatus('writing', decided);
      afterCallWritten = await executePlan(plan, view, rerun, lastWrite);
      return 'written';
    }, { lookUp: lookedUpWhileRinging === undefined });
    if (status === 'written') {
      setStatus('written');
      await addLateRecording(call, view.plan!, afterCallWritten, context);
    }
    return view;
  } catch (error) {
    if (error instanceof CallClosed) {
      setStatus(error.status);
      return view;
    }
    // Zoho refused the data itself (a retry cannot help): the failure, with the field it names, is in the UI.
    view.written.push(...writtenBeforeRefusal(error));
    setStatus('failed');
    // The one line an operator alerts on, fixes the cause from, then runs `callmatrix calls retry` (L3).
    const { rule, scenario } = view.plan ?? {};
    log.error('call failed', { callId: events[0]?.callId, rule, scenario, cause: rootCause(error) });
    throw error;
  } finally {
    await reportToReactivation(false);
  }
}

/**
 * C3: O1's lookup was made while the call rang, before any later call of its client. A missed call written late (its
 * end event lost and read from the call log, L1, or resent late) may have been overtaken by an answered call with
 * the client that is in the CRM already: those answered calls come from a lookup made now. Only they: the decision
 * stays on the ringing lookup, which O1's records were made on. A call written on time asks nothing more.
 */
async function withAnsweredCallsSinceRinging(ringing: CallerLookup, query: ClientLookupQuery | undefined, lookUp: () => Promise<CallerLookup>): Promise<CallerLookup> {
  if (!query || !asksForAnsweredCalls(query, Date.now()) || !patched(LATE_MISSED_CALL_AFTER_RINGING)) return ringing;
  const { answeredCalls } = await lookUp();
  return answeredCalls ? { ...ringing, answeredCalls } : ringing;
}

function lookupCaller(lookupQuery: ClientLookupQuery | undefined): Promise<CallerLookup> {
  // Calls the matrix leaves alone (M15 — also from a colleague's number — or no readable number) cost no request.
  return lookupQuery ? local.lookupCaller(lookupQuery) : Promise.resolve(NO_CALLER);
}

/** O1: while an incoming call rings, the lead and task are created on the senior manager. */
async function writeBeforeCall(
  context: CrmContext,
  beforeCall: CallToDecide<CallStartFacts> | undefined,
  view: CallStatusView,
  rerun: boolean,
  lastWrite: LastWrite,
  lookup: CallerLookup,
): Promise<{ created?: CreatedBeforeCall; lookup: CallerLookup } | undefined> {
  if (!beforeCall) return undefined;
  const plan = decideBeforeCall(beforeCall.call, lookup, context);
  if (plan.operations.length === 0) return { lookup };
  const created = await executePlan(plan, view, rerun, lastWrite);
  return { lookup, created: { leadId: created.get(BEFORE_CALL_KEYS.lead), taskId: created.get(BEFORE_CALL_KEYS.task) } };
}

/**
 * A record's key names the call and what the record is for, not the scenario: a reset run that sees the client the
 * first run created plans another scenario, and must still find the records it made.
 */
function idempotencyPrefixOf(stage: PlanStage): string {
  return `${workflowInfo().workflowId}/${stage}`;
}

/**
 * `rerun`: an earlier try of this step may have committed some of the plan's records (see `inCallerTurn`), so each
 * create looks for its record first, even on its activity's first attempt. The plan is the last thing its caller's
 * turn does: `lastWrite` lets it give the turn up.
 */
async function executePlan(plan: CallPlan, view: CallStatusView, rerun: boolean, lastWrite: LastWrite): Promise<Map<string, string>> {
  if (plan.operations.length === 0) return new Map();
  const idempotencyPrefix = idempotencyPrefixOf(stageOf(plan));
  const written = await lastWrite((giveUpTurn) => crm.applyPlan({ operations: plan.operations, idempotencyPrefix, rerun, giveUpTurn }));
  view.written.push(...written);
  showDetails(view);
  return new Map(written.map((record) => [record.operation, record.id]));
}
