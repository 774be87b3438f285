/**
 * The decision sequence of a call, shared by the call workflow and `callmatrix dry-run`: the call's events → the
 * facts and the caller lookup they need → the plan. Asking Zoho about the caller and taking an O4 turn are I/O,
 * so the caller of these functions does them between the steps; everything decided here is pure.
 */
import type { CallEvent } from '../common/call-event';
import type { DigitsReading } from '../common/phone';
import { planCall, planCallStart } from './index';
import { matrixCallDistributes } from './call-plan';
import { leaveAlone } from './guards';
import type { CallFacts, CallStartFacts, CallerLookup, ClientLookupQuery, CreatedBeforeCall, CrmPipeline } from './input';
import { callerLookupQuery } from './lookup-query';
import type { CallPlan } from './plan';
import type { Settings } from './settings-schema';
import { summarizeCall, summarizeCallStart } from './summarize-call';

/** What the CRM side contributes to a decision: the settings and the org's time zone and deal pipelines. */
export interface CrmFacts {
  settings: Settings;
  /** The CRM organisation's IANA time zone: due dates are counted in it. */
  timeZone: string;
  /** Deal pipelines of the CRM: which deals are open, and where new deals go (D4). */
  pipelines: CrmPipeline[];
  /** The org's Calls module has `Voice_Recording__s` (C1). */
  callRecordingField: boolean;
  /** The Zoho users who may own records (status active); absent in calls recorded before it was read. */
  activeUserIds?: readonly string[];
}

/** A call's facts at one moment, and the caller lookup they need (none where the matrix leaves the call alone). */
export interface CallToDecide<Facts extends CallStartFacts> {
  call: Facts;
  lookupQuery?: ClientLookupQuery;
}

/** The caller nobody found: a new client, or a call the matrix leaves alone without asking Zoho. */
export const NO_CALLER: CallerLookup = { leads: [], deals: [], contacts: [] };

const toDecide = <Facts extends CallStartFacts>(call: Facts, settings: Settings): CallToDecide<Facts> => ({
  call,
  lookupQuery: callerLookupQuery(call, settings),
});

/** O1: the ringing call, when records are created before the call and the call has not ended yet. */
export function beforeCallToDecide(events: CallEvent[], { settings, timeZone }: CrmFacts, reading?: DigitsReading): CallToDecide<CallStartFacts> | undefined {
  if (!settings.matrix.createBeforeCall || events.some((e) => e.moment === 'end')) return undefined;
  return toDecide(summarizeCallStart(events, settings.telephony.defaultCountry, timeZone, reading), settings);
}

/** The whole call, once it has ended (or its end event is given up on). */
export function afterCallToDecide(events: CallEvent[], { settings, timeZone }: CrmFacts, reading?: DigitsReading): CallToDecide<CallFacts> {
  return toDecide(summarizeCall(events, settings.telephony.defaultCountry, timeZone, reading), settings);
}

/** O1: the records to create while the call rings. */
export function decideBeforeCall(call: CallStartFacts, lookup: CallerLookup, crm: CrmFacts): CallPlan {
  return planCallStart({ call, lookup, ...crm });
}

export interface AfterCallInput {
  call: CallFacts;
  lookup: CallerLookup;
  crm: CrmFacts;
  /** What the before-call plan (O1) created. */
  createdBeforeCall?: CreatedBeforeCall;
}

/**
 * The after-call plan, or — for a new client's missed call that the round robin (O4) hands to a manager — the
 * plan once the call's turn is known. The round robin advances only for calls that use it.
 */
export type AfterCallDecision = { plan: CallPlan; withDistributionTurn?: never } | { plan?: never; withDistributionTurn: (turn: number) => CallPlan };

export function decideAfterCall({ call, lookup, crm, createdBeforeCall }: AfterCallInput): AfterCallDecision {
  const input = { call, lookup, ...crm, createdBeforeCall };
  const distributes = !leaveAlone(call, crm.settings) && crm.settings.matrix.mode === 'create' && matrixCallDistributes(input);
  if (distributes) return { withDistributionTurn: (turn) => planCall({ ...input, distributionTurn: turn }) };
  // No round robin in this plan: the turn is never read.
  return { plan: planCall({ ...input, distributionTurn: 0 }) };
}
