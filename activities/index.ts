/**
 * The activities of callmatrix's workflows. Every Zoho CRM read and write happens here, through the shared Zoho
 * client (the org context's, with its token and rate limiter). Factories, so the worker and tests inject their own
 * dependencies.
 */
import { createCallControlActivities, type CallControlDependencies } from './call-control';
import { createCrmActivities, type CrmDependencies } from './crm';
import { createReconciliationActivities, type ReconciliationDependencies } from './reconciliation';

export type { ApplyPlanInput, IntegrationState } from './crm';
export type { CrmContext } from './types';

export type ActivityDependencies = CrmDependencies & CallControlDependencies & ReconciliationDependencies;

export function createActivities(deps: ActivityDependencies) {
  return { ...createCrmActivities(deps), ...createCallControlActivities(deps), ...createReconciliationActivities(deps) };
}

export type CallActivities = ReturnType<typeof createActivities>;
