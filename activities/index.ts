/**
 * The activities of callmatrix's workflows. Every Zoho CRM read and write happens here, through the shared Zoho
 * client (the org context's, with its token and rate limiter). Factories, so the worker and tests inject their own
 * dependencies.
 */
import { Context } from '@temporalio/activity';
import { createCallControlActivities, type CallControlDependencies } from './call-control';
import { createCrmActivities, type CrmDependencies } from './crm';
import { createReconciliationActivities, type ReconciliationDependencies } from './reconciliation';
import type { ApplyPlanInput } from './crm';
import type { WrittenRecord } from '../temporal/call-status';
import type { CallerTurnAnswer, CallerTurnHolder } from '../temporal/contracts';
import type { CallerLookup, ClientLookupQuery } from '../matrix/input';
import { lookupSeesEarlierTurns } from './lookup-with-turn';
import { callerKeyOfEvent } from '../temporal/caller-key';

export type { ApplyPlanInput, IntegrationState } from './crm';
export type { CrmContext } from './types';

/** Where a re-activation run claims the ticket its start was issued: the activation store (temporal/reactivation.ts). */
export interface ReactivationClaims {
  claimReactivation(ticket: string | undefined, runId: string): Promise<boolean>;
}

/**
 * The CRM account's time zone reconciliation may need comes from the CRM activities' cached context, and the
 * CallerKey of the calls it starts from the callers' queues' key.
 */
export type ActivityDependencies = CrmDependencies &
  CallControlDependencies &
  Omit<ReconciliationDependencies, 'crmTimeZone' | 'callerKeyOf'> & { integration: ReactivationClaims };

export function createActivities(deps: ActivityDependencies) {
  const crm = createCrmActivities(deps);
  const callControl = createCallControlActivities(deps);
  /**
   * The calls' CRM context's zone; while the authorisation is broken (R1: Zoho is asked nothing), the zone last
   * read, kept with the connection — so reconciliation still starts the calls the webhooks missed, and they wait
   * suspended for the re-activation instead of being missed for good once they leave the log's window.
   */
  const crmTimeZone = async (): Promise<string> => {
    const broken = deps.integration.broken();
    if (!broken) return (await crm.loadCrmContext()).timeZone;
    const kept = deps.integration.connection()?.timeZone;
    if (!kept) throw new Error(`the integration is broken since ${broken.since} and its zone was never read: re-activate it`);
    return kept;
  };
  return {
    ...crm,
    ...callControl,
    ...createReconciliationActivities({
      ...deps,
      crmTimeZone,
      callerKeyOf: callerKeyOfEvent(async () => deps.callerKey, () => deps.settings().telephony.defaultCountry),
    }),
    /**
     * R2, R3 (security): whether this re-activation run may resume calls — it claims the ticket its start was issued
     * in the activation store. The run is the activity's own, which no input can name otherwise.
     */
    async claimReactivation(ticket: string | undefined): Promise<boolean> {
      const run = Context.current().info.workflowExecution?.runId;
      return run !== undefined && deps.integration.claimReactivation(ticket, run);
    },

    /**
     * Joins the caller's queue and looks the caller up at the same time, so the call's turn and its first Zoho
     * round trip overlap (M17, #15). The lookup counts only when the turn is the call's at once and no turn ended
     * since it was sent (lookup-with-turn.ts); otherwise, or when it failed, `lookup` is absent and the call looks
     * up in its turn. A lookup that does not count has cost one read.
     */
    async queueForCallerTurnWithLookup(input: {
      holder: CallerTurnHolder;
      lookupQuery: ClientLookupQuery;
    }): Promise<CallerTurnAnswer & { queueWorkflowId: string; lookup?: CallerLookup }> {
      const sentAt = Date.now();
      const [turn, lookup] = await Promise.all([
        callControl.queueForCallerTurn({ clientPhone: input.lookupQuery.clientPhone, holder: input.holder }),
        crm.lookupCaller(input.lookupQuery).catch(() => undefined),
      ]);
      return { ...turn, ...(lookup && lookupSeesEarlierTurns(turn, sentAt) ? { lookup } : {}) };
    },

    /**
     * A plan's writes; the last write of a caller's turn then gives the turn up (M17) once every record committed.
     * A retry after that writes nothing new (each create finds its committed record) and gives up a turn the queue
     * has already passed on, which it ignores.
     */
    async applyPlan(input: ApplyPlanInput): Promise<WrittenRecord[]> {
      const written = await crm.applyPlan(input);
      if (input.giveUpTurn) await callControl.giveUpCallerTurn(input.giveUpTurn);
      return written;
    },
  };
}

export type CallActivities = ReturnType<typeof createActivities>;
