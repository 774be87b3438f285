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
  ApplicationFailure,
  condition,
  log,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { CallActivities } from '../activities';
import type { CrmContext } from '../activities/types';
import type { CallEvent } from '../common/call-event';
import type { CallStatus, CallStatusView, WrittenRecord } from '../temporal/call-status';
import { callEventSignal, callStatusQuery, resumeSignal, searchAttributes, type CallWorkflowInput, type ResumeDecision } from '../temporal/contracts';
import { BEFORE_CALL_KEYS, planCall, planCallStart } from '../matrix';
import { callerLookupQuery } from '../matrix/lookup-query';
import type { CallStartFacts, CallerLookup, CreatedBeforeCall } from '../matrix/input';
import type { CallPlan } from '../matrix/plan';
import { NON_RETRYABLE_ZOHO_ERRORS, ZohoAuthorizationError, ZohoValidationError } from '../zoho/errors';
import { callStartTime, summarizeCall, summarizeCallStart } from '../matrix/summarize-call';
import { rootCause } from '../temporal/failure-chain';

/** Zoho outages and rate limits are retried for as long as they last; bad data and revoked access are not. */
const retry: RetryPolicy = {
  initialInterval: '2 seconds',
  backoffCoefficient: 2,
  maximumInterval: '10 minutes',
  nonRetryableErrorTypes: [...NON_RETRYABLE_ZOHO_ERRORS],
};
const crm = proxyActivities<CallActivities>({ startToCloseTimeout: '2 minutes', retry });
/**
 * Reads that need no task round trip through the server: the integration check (local state), the CRM context
 * (cached per worker for minutes) and the client lookup (reads only, so a retry is harmless). Keeping them local
 * spares the Temporal server half of a call's workflow tasks; writes stay regular activities.
 */
const local = proxyLocalActivities<CallActivities>({ startToCloseTimeout: '30 seconds', retry });

const NO_CALLER: CallerLookup = { leads: [], deals: [], contacts: [] };

/** Ends the call early with a final status (discarded or expired) from wherever it is suspended. */
class CallClosed extends Error {
  constructor(readonly status: CallStatus) {
    super(status);
  }
}

/** The application failure behind an activity's failure: a regular activity's arrives wrapped, a local one's bare. */
function applicationFailure(error: unknown, type: string): ApplicationFailure | undefined {
  const failure = error instanceof ActivityFailure ? error.cause : error;
  return failure instanceof ApplicationFailure && failure.type === type ? failure : undefined;
}

const isAuthorizationFailure = (error: unknown): boolean => applicationFailure(error, ZohoAuthorizationError.errorType) !== undefined;

/** The records a plan wrote before Zoho refused the data of the next one (the applyPlan failure's details). */
const writtenBeforeRefusal = (error: unknown): WrittenRecord[] =>
  (applicationFailure(error, ZohoValidationError.errorType)?.details?.[0] as WrittenRecord[] | undefined) ?? [];

export async function callWorkflow(start: CallWorkflowInput = {}): Promise<CallStatusView> {
  const events: CallEvent[] = [];
  const view: CallStatusView = { status: 'in-progress', eventsReceived: 0, suspensions: 0, written: [] };
  let resumeDecision: ResumeDecision | undefined;

  setHandler(callEventSignal, (event) => {
    view.eventsReceived += 1;
    // The telephony re-sends a webhook it thinks failed: only the first event of each moment counts.
    if (!events.some((e) => e.moment === event.moment)) events.push(event);
  });
  setHandler(callStatusQuery, () => view);
  setHandler(resumeSignal, (decision) => {
    if (view.status === 'suspended') resumeDecision = decision;
  });

  /** Each upsert is a history event and a visibility write: attributes known together go in one. */
  const setStatus = (status: CallStatus, alongWith: SearchAttributeUpdatePair[] = []) => {
    view.status = status;
    upsertSearchAttributes([...alongWith, { key: searchAttributes.status, value: status }]);
  };

  /** Waits for re-activation, then either carries on or closes the call as the admin decided (R2). */
  const suspend = async () => {
    const before = view.status;
    view.suspensions += 1;
    setStatus('suspended');
    log.warn('Zoho authorisation is broken: call suspended until re-activation');
    resumeDecision = undefined;
    await condition(() => resumeDecision !== undefined);
    const decision = resumeDecision!;
    if (!decision.resend) throw new CallClosed('discarded');
    if (Date.parse(callStartTime(events)) < Date.parse(decision.windowStart)) throw new CallClosed('expired');
    setStatus(before);
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

  await condition(() => events.length > 0);
  try {
    // New calls arriving while the integration is broken wait without asking Zoho anything (R1).
    if (await local.integrationBroken()) await suspend();
    const context = await withAuthorization(() => local.loadCrmContext());
    const { settings } = context;

    // A failed, terminated or timed-out run of this call may have written some of its records already (L2).
    const replacesClosedRun = start.replacesClosedRun === true;
    const beforeCall = await writeBeforeCall(context, events, withAuthorization, view, replacesClosedRun);
    const createdBeforeCall = beforeCall?.created;
    const ended = await condition(
      () => events.some((e) => e.moment === 'end'),
      settings.calls.endEventTimeoutMinutes * 60_000,
    );
    if (!ended) log.warn('no end event arrived; processing the call with what is known');

    const call = summarizeCall(events, settings.telephony.defaultCountry);
    // O1 looked the caller up while the call rang: the same client, no need to ask Zoho again.
    const lookup = beforeCall?.lookup ?? (await lookupCaller(call, context, withAuthorization));
    const input = { call, lookup, settings, timeZone: context.timeZone, pipelines: context.pipelines, createdBeforeCall };
    let plan = planCall({ ...input, distributionTurn: 0 });
    if (plan.distribution) {
      // The round robin (O4) advances only for calls that use it.
      const turn = await crm.takeDistributionTurn(workflowInfo().workflowId);
      plan = planCall({ ...input, distributionTurn: turn });
    }
    view.plan = plan;
    const decided: SearchAttributeUpdatePair[] = [
      { key: searchAttributes.direction, value: call.direction },
      { key: searchAttributes.outcome, value: call.outcome },
      { key: searchAttributes.scenario, value: plan.scenario },
      { key: searchAttributes.rule, value: plan.rule },
    ];
    if (plan.operations.length === 0 && !createdBeforeCall) {
      setStatus('ignored', decided);
      return view;
    }
    setStatus('writing', decided);
    await executePlan(plan, view, withAuthorization, replacesClosedRun);
    setStatus('written');
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
  }
}

type Guard = <T>(step: () => Promise<T>) => Promise<T>;

function lookupCaller(call: CallStartFacts, context: CrmContext, guard: Guard): Promise<CallerLookup> {
  // Calls the matrix leaves alone (M15 — also from a colleague's number — or no readable number) cost no request.
  const query = callerLookupQuery(call, context.settings);
  return query ? guard(() => local.lookupCaller(query)) : Promise.resolve(NO_CALLER);
}

/** O1: while an incoming call rings, the lead and task are created on the senior manager. */
async function writeBeforeCall(
  context: CrmContext,
  events: CallEvent[],
  guard: Guard,
  view: CallStatusView,
  replacesClosedRun: boolean,
): Promise<{ created?: CreatedBeforeCall; lookup: CallerLookup } | undefined> {
  const { settings } = context;
  if (!settings.matrix.createBeforeCall || events.some((e) => e.moment === 'end')) return undefined;
  const call = summarizeCallStart(events, settings.telephony.defaultCountry);
  const lookup = await lookupCaller(call, context, guard);
  const plan = planCallStart({ call, lookup, settings, timeZone: context.timeZone, pipelines: context.pipelines });
  if (plan.operations.length === 0) return { lookup };
  const created = await executePlan(plan, view, guard, replacesClosedRun);
  return { lookup, created: { leadId: created.get(BEFORE_CALL_KEYS.lead), taskId: created.get(BEFORE_CALL_KEYS.task) } };
}

async function executePlan(plan: CallPlan, view: CallStatusView, guard: Guard, replacesClosedRun: boolean): Promise<Map<string, string>> {
  if (plan.operations.length === 0) return new Map();
  const { workflowId, runId, originalExecutionRunId } = workflowInfo();
  // A record's key names the call and what the record is for, not the scenario: a reset run (below) that sees
  // the client the first run created plans another scenario, and must still find the records it made.
  const idempotencyPrefix = `${workflowId}/${plan.scenario === 'before-call' ? 'before-call' : 'after-call'}`;
  // An operator's workflow reset (or `callmatrix calls retry`) re-runs the writes of a run that may have committed
  // them, as first attempts; so does a new run started by an event after a failed, terminated or timed-out run.
  const earlierRunMayHaveWritten = runId !== originalExecutionRunId || replacesClosedRun;
  // After a suspension the plan runs again as a new activity, whose earlier attempts may have committed records.
  let runs = 0;
  const written = await guard(() => crm.applyPlan({ operations: plan.operations, idempotencyPrefix, rerun: earlierRunMayHaveWritten || runs++ > 0 }));
  view.written.push(...written);
  return new Map(written.map((record) => [record.operation, record.id]));
}
