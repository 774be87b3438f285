/** Activities that read and write Zoho CRM. */
import { Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import { phoneVariants } from '../common/phone';
import type { WrittenRecord } from '../temporal/call-status';
import type { Settings } from '../matrix/settings-schema';
import type { CallerLookup, ClientLookupQuery, FoundAnsweredCall } from '../matrix/input';
import type { CreateOf, PlanOperation, PlanStage } from '../matrix/plan';
import { answeredCallSubjects, asksForAnsweredCalls, callbackSubjectPrefix } from '../matrix/callback-closure';
import { summaryStartMinute } from '../matrix/call-text';
import { BEFORE_CALL_KEYS, CALLER_RECORD_KEYS } from '../matrix/plan-builder';
import {
  MAX_SUB_REQUESTS,
  markerOf,
  withMarker,
  writtenIdOf,
  type AnsweredCallSummary,
  type CallerRecords,
  type OpenTaskSummary,
  type RecordWrite,
  type ZohoClient,
  type ZohoCredentials,
} from '../zoho';
import { TtlCache } from '../common/ttl-cache';
import { ZohoAuthorizationError, ZohoValidationError } from '../zoho/errors';
import { partialWriteFailure } from '../temporal/failures';
import type { CallerTurnToGiveUp } from '../temporal/contracts';
import { resolve, resolveLinks, type RecordId } from './resolve-links';
import type { CrmContext } from './types';
import type { StoredConnection } from '../activation/credential-store';

/**
 * The org's time zone, deal pipelines, Calls fields and active users change only when an admin edits the CRM: kept
 * this long per process rather than read (5 requests, 2 round trips) on the path of every call. Same lifetime as the Zoho client's
 * own metadata cache.
 */
const CRM_FACTS_TTL_MS = 10 * 60_000;

/** When the answered call a C3 record tells of started: a Calls record's start time, a task's `Time:` line. */
function answeredCallStart(call: AnsweredCallSummary): string | undefined {
  const start = call.module === 'Calls' ? Date.parse(call.callStartTime ?? '') : Number.NaN;
  return Number.isNaN(start) ? summaryStartMinute(call.description) : new Date(start).toISOString();
}

function foundAnsweredCalls(calls: readonly AnsweredCallSummary[]): FoundAnsweredCall[] {
  return calls.flatMap((call) => {
    const startedAt = answeredCallStart(call);
    return startedAt ? [{ module: call.module, id: call.id, subject: call.subject, startedAt, madeByCallmatrix: call.madeByCallmatrix }] : [];
  });
}

/** Whether Zoho accepts the integration's authorisation, shared by every process: the activation store. */
export interface IntegrationState {
  broken(): { reason: string; since: string } | undefined;
  current(): Promise<ZohoCredentials | null>;
  /** `refused`: the credentials Zoho refused, so a refusal of credentials already replaced changes nothing. */
  markBroken(reason: string, refused?: ZohoCredentials): Promise<void>;
  /** The stored connection, with the CRM account's zone once read (activation/account-time-zone.ts). */
  connection(): StoredConnection | undefined;
  recordTimeZone(timeZone: string, readThrough: StoredConnection): Promise<void>;
}

export interface CrmDependencies {
  zoho: ZohoClient;
  /** Read when a call starts, so a changed settings file applies to new calls without a restart. */
  settings: () => Settings;
  integration: IntegrationState;
  logger: Logger;
}

export interface ApplyPlanInput {
  /** The plan's operations, in order: a later one may link to a record an earlier one creates. */
  operations: PlanOperation[];
  /**
   * Prefix of each create's idempotency key, `<workflow id>/<stage>` (`before-call` or `after-call`), then the
   * operation's key; an update that `keepsMarkerOf` a create of the call finds that create's key from it too.
   */
  idempotencyPrefix: string;
  /** The workflow runs this plan again (after a suspension, or in a reset run): its records may exist already. */
  rerun?: boolean;
  /**
   * The caller's turn this write ends (M17): given up once every record committed, by the activity, which spares
   * the call workflow the signal to its caller's queue and the workflow task that waits for it.
   */
  giveUpTurn?: CallerTurnToGiveUp;
}

/** The idempotency key a create of the call was written under, from the prefix of the plan at hand. */
function keyOfCreate(idempotencyPrefix: string, create: CreateOf): string {
  const call = idempotencyPrefix.slice(0, idempotencyPrefix.lastIndexOf('/'));
  return `${call}/${create.stage}/${create.key}`;
}

/**
 * What a rerun of a call's stage (`<workflow id>/<stage>`) leaves out of its caller lookup, by marker: the records
 * that stage creates, and in the after-call stage also the lead the call made while it rang (O1). A run that did
 * not make that lead (it replaces a closed run, and never saw the call ring) then completes it, and the O1 task, as
 * the first try would have, instead of deciding on it as on another owner's lead (M5).
 */
function ownRecordMarkers(idempotencyPrefix: string | undefined): { leaveOut: string[]; beforeCallLead?: string; beforeCallTask?: string } {
  if (!idempotencyPrefix) return { leaveOut: [] };
  const stage = idempotencyPrefix.slice(idempotencyPrefix.lastIndexOf('/') + 1) as PlanStage;
  const marker = (create: CreateOf) => markerOf(keyOfCreate(idempotencyPrefix, create));
  const leaveOut = CALLER_RECORD_KEYS[stage].map((key) => marker({ stage, key }));
  if (stage !== 'after-call') return { leaveOut };
  const beforeCallLead = marker({ stage: 'before-call', key: BEFORE_CALL_KEYS.lead });
  return { leaveOut: [...leaveOut, beforeCallLead], beforeCallLead, beforeCallTask: marker({ stage: 'before-call', key: BEFORE_CALL_KEYS.task }) };
}

/** The running activity's attempt (1 = first); undefined outside an activity, where a create always checks. */
function activityAttempt(): number | undefined {
  try {
    return Context.current().info.attempt;
  } catch {
    return undefined;
  }
}

export function createCrmActivities({ zoho, settings, integration, logger }: CrmDependencies) {
  const crmFacts = new TtlCache<Omit<CrmContext, 'settings'>>(CRM_FACTS_TTL_MS);
  /**
   * A refused authorisation marks the integration broken for every process (R1), then fails the activity. The
   * store logs the break once, at error level; every call in flight meets the refusal, and each says it suspends.
   */
  async function reportingBrokenAuthorization<T>(work: () => Promise<T>): Promise<T> {
    const credentials = await integration.current();
    try {
      return await work();
    } catch (error) {
      if (error instanceof ZohoAuthorizationError) await integration.markBroken(error.message, credentials ?? undefined);
      throw error;
    }
  }

  /**
   * The caller's records and, in the same request, what C3 needs: the open callback tasks a call that reached the
   * client may complete, or the answered calls that overtook a missed call written late. Both name the number in
   * their subjects, so the queries need none of the ids the lookup finds.
   */
  async function findCaller(
    input: ClientLookupQuery,
    variants: readonly string[],
    leaveOut: readonly string[],
  ): Promise<{ found: CallerRecords; openTasks?: OpenTaskSummary[]; answeredCalls?: AnsweredCallSummary[] }> {
    if (input.openTasksSince !== undefined) return zoho.findCallerAndOpenTasksNamed(variants, callbackSubjectPrefix(input.clientPhone), input.openTasksSince, leaveOut);
    if (asksForAnsweredCalls(input, Date.now())) {
      return zoho.findCallerAndAnsweredCalls(variants, answeredCallSubjects(input.clientPhone), input.answeredCallsSince, leaveOut);
    }
    return { found: await zoho.findCaller(variants, undefined, leaveOut) };
  }

  /** The settings and CRM facts a call is decided with, recorded once in the call's history. */
  function loadCrmContext(): Promise<CrmContext> {
    return reportingBrokenAuthorization(async () => {
      const facts = await crmFacts.get('org', async () => {
        const readThrough = integration.connection();
        const [org, pipelines, callFields, activeUserIds] = await Promise.all([zoho.getOrg(), zoho.dealPipelines(), zoho.getFields('Calls'), zoho.activeUserIds()]);
        // Kept with the connection, so the call log is still read in this zone while the authorisation is broken.
        if (readThrough && org.time_zone && readThrough.timeZone !== org.time_zone) await integration.recordTimeZone(org.time_zone, readThrough);
        return {
          timeZone: org.time_zone ?? 'UTC',
          pipelines,
          callRecordingField: callFields.some((field) => field.api_name === 'Voice_Recording__s'),
          // Who may own the records a call writes: a deactivated responsible manager's follow-up goes elsewhere.
          activeUserIds,
        };
      });
      return { settings: settings(), ...facts };
    });
  }

  return {
    /** Local check before any Zoho call, so calls arriving while the integration is broken do not hammer Zoho. */
    async integrationBroken(): Promise<boolean> {
      return integration.broken() !== undefined;
    },

    /**
     * The CRM context, or undefined while the integration is broken (R1): `integrationBroken` and `loadCrmContext`
     * in one local activity, so a call starts in one round of its workflow task fewer.
     */
    async crmContextUnlessBroken(): Promise<CrmContext | undefined> {
      return integration.broken() === undefined ? loadCrmContext() : undefined;
    },

    /** The settings and CRM facts a call is decided with, recorded once in the call's history. */
    loadCrmContext,

    /** The resend window's length (settings) and the CRM account's time zone it is counted in (R2). */
    async resendWindow(): Promise<{ days: number; timeZone: string }> {
      return reportingBrokenAuthorization(async () => ({
        days: settings().calls.resendWindowDays,
        timeZone: (await zoho.getOrg()).time_zone ?? 'UTC',
      }));
    },

    /**
     * Finds the caller's leads, open deals and contacts, whatever format their numbers were stored in (M17). With
     * `tasksOfRecordsSince` (update-existing mode, O2) also the tasks of the leads and deals created since then,
     * the ones another integration may have made for this call; otherwise that request is not spent.
     */
    async lookupCaller(input: ClientLookupQuery): Promise<CallerLookup> {
      return reportingBrokenAuthorization(async () => {
        const variants = phoneVariants(input.clientPhone, input.defaultCountry);
        const own = ownRecordMarkers(input.leaveOutRecordsOf);
        const { found: records, openTasks, answeredCalls } = await findCaller(input, variants, own.leaveOut);
        const ownLeadId = own.beforeCallLead && records.leftOut?.[own.beforeCallLead];
        const ownTaskId = ownLeadId ? await zoho.findMarkedTaskOf({ module: 'Leads', id: ownLeadId }, own.beforeCallTask!) : undefined;
        const { leads, deals, contacts } = records;
        const found = (r: { id: string; ownerId: string; name: string; createdTime: string }) => ({
          id: r.id,
          ownerId: r.ownerId,
          name: r.name,
          createdTime: r.createdTime,
        });
        const lookup: CallerLookup = {
          leads: leads.map(found),
          deals: deals.map((d) => ({ ...found(d), contactId: d.contactId, stage: d.stage, pipeline: d.pipeline ?? undefined })),
          contacts: contacts.map(found),
        };
        if (openTasks) lookup.openTasks = openTasks.map((task) => ({ ...task, name: task.subject }));
        if (answeredCalls) lookup.answeredCalls = foundAnsweredCalls(answeredCalls);
        if (ownLeadId) lookup.ownBeforeCall = { leadId: ownLeadId, ...(ownTaskId ? { taskId: ownTaskId } : {}) };
        if (input.tasksOfRecordsSince === undefined) return lookup;
        const since = Date.parse(input.tasksOfRecordsSince);
        const madeForCall = (record: { createdTime: string }) => Date.parse(record.createdTime) >= since;
        const parents = [
          ...leads.filter(madeForCall).map((lead) => ({ module: 'Leads' as const, id: lead.id })),
          ...deals.filter(madeForCall).map((deal) => ({ module: 'Deals' as const, id: deal.id })),
        ];
        const tasks = parents.length > 0 ? await zoho.findTasksRelatedTo(parents) : [];
        return {
          ...lookup,
          tasks: tasks.map((task) => ({ id: task.id, ownerId: task.ownerId, name: task.subject, createdTime: task.createdTime, status: task.status, what: task.what })),
        };
      });
    },

    /**
     * Writes a plan's records in order, in one activity: a call's writes cost the Temporal server one activity
     * task and one workflow task, not one of each per record. The Zoho client bundles each run of up to 5
     * operations into one composite request when it may (a link to a record of the same run becomes a reference
     * to it). A retry runs the whole plan again, and every create then finds the record its earlier attempt
     * committed (by its idempotency marker) instead of writing it twice.
     */
    async applyPlan(input: ApplyPlanInput): Promise<WrittenRecord[]> {
      return reportingBrokenAuthorization(async () => {
        const firstAttempt = !input.rerun && activityAttempt() === 1;
        const created = new Map<string, RecordId>();
        const written: WrittenRecord[] = [];
        try {
          for (let start = 0; start < input.operations.length; start += MAX_SUB_REQUESTS) {
            const run = input.operations.slice(start, start + MAX_SUB_REQUESTS);
            const linkable = new Map(created);
            const writes = run.map((operation, i): RecordWrite => {
              const data = resolveLinks(operation, linkable);
              const idempotencyKey = (key: string) => `${input.idempotencyPrefix}/${key}`;
              const write: RecordWrite =
                operation.kind === 'create'
                  ? { kind: 'create', module: operation.module, data, idempotencyKey: idempotencyKey(operation.key) }
                  : {
                      kind: 'update',
                      module: operation.module,
                      id: resolve(operation.target, linkable, operation.key).id,
                      // A record this plan created keeps its marker: retries and C3 find it by that line.
                      data: operation.keepsMarkerOf ? withMarker(operation.module, data, markerOf(keyOfCreate(input.idempotencyPrefix, operation.keepsMarkerOf))) : data,
                    };
              linkable.set(operation.key, { module: operation.module, id: writtenIdOf(i) });
              return write;
            });
            await zoho.writeRecords(writes, {
              firstAttempt,
              onWritten: (i, result) => {
                const operation = run[i];
                logger.debug({ module: operation.module, id: result.id, created: result.created }, 'record written');
                created.set(operation.key, { module: operation.module, id: result.id });
                written.push({ operation: operation.key, module: operation.module, id: result.id, created: result.created });
              },
            });
          }
        } catch (error) {
          // Zoho refused a record's data: no retry helps and the call ends as failed, its status still listing
          // the records written before that one.
          if (error instanceof ZohoValidationError && written.length > 0) {
            throw partialWriteFailure(error.message, written);
          }
          throw error;
        }
        return written;
      });
    },
  };
}
