/**
 * What the matrix decides: a plan of CRM operations, each tagged with the SPEC rule that produced it.
 * Plans are plain data so that a workflow can record them in its history and execute them step by step,
 * and so that a dry run can print them.
 */
import type { Scenario } from './settings-schema';

/** SPEC rule ids (see ../shared/SPEC.md). */
export type RuleId =
  | 'M1' | 'M2' | 'M3' | 'M4' | 'M5' | 'M6' | 'M7' | 'M8' | 'M9' | 'M10' | 'M11' | 'M12' | 'M13' | 'M14' | 'M15'
  | 'M16' | 'M17' | 'O1' | 'O2' | 'O4' | 'D1' | 'D2' | 'D3' | 'D4' | 'C1' | 'C2' | 'C3';

export type RecordModule = 'Leads' | 'Contacts' | 'Deals' | 'Tasks' | 'Calls' | 'Notes';

/** A lookup target: a record that existed before the call, or the record an earlier operation of the plan makes. */
export type RecordLink =
  | { existing: { module: RecordModule; id: string } }
  | { createdBy: string };

interface OperationBase {
  /** Unique within the plan and stable across replays: names the operation in links and idempotency keys. */
  key: string;
  rule: RuleId;
  module: RecordModule;
  /** Field values as Zoho expects them, lookups excluded. */
  fields: Record<string, unknown>;
  /**
   * Lookup fields resolved at execution time into `{ id }`. Linking `What_Id` also sets `$se_module`
   * to the linked record's module, as Zoho requires.
   */
  links: Record<string, RecordLink>;
}

export interface CreateOperation extends OperationBase {
  kind: 'create';
}

export interface UpdateOperation extends OperationBase {
  kind: 'update';
  target: RecordLink;
  /**
   * The target is a record this call created, known by this create's idempotency marker (its stage's plan and key):
   * the update's text field ends with that marker. O1 completes the records created while the call rang, and C2
   * rewrites a Description a create marked; without the marker a rerun (L2) would create the record again, and C3
   * could not tell the task is callmatrix's.
   */
  keepsMarkerOf?: CreateOf;
}

/** The two plans of a call: the one made while it rings (O1) and the one made once it ended. */
export type PlanStage = 'before-call' | 'after-call';

/** One create of a call: the stage whose plan made it, and its operation key there. */
export interface CreateOf {
  stage: PlanStage;
  key: string;
}

export const stageOf = (plan: Pick<CallPlan, 'scenario'>): PlanStage => (plan.scenario === 'before-call' ? 'before-call' : 'after-call');

export type PlanOperation = CreateOperation | UpdateOperation;

export interface CallPlan {
  /**
   * The scenario the call fell into, or why it was left alone; `before-call` for the plan made when the call
   * starts (O1), before its outcome is known.
   */
  scenario: Scenario | 'internal' | 'no-client-number' | 'before-call';
  /** The rule that decided the scenario (e.g. M1 for a new client's answered call, M15 for an internal call). */
  rule: RuleId;
  operations: PlanOperation[];
  /**
   * Set when a missed call was handed to the next employee in the round robin (O4): the workflow advances its
   * counter only then.
   */
  distribution?: { turn: number; employeeCode: string };
  /** Human-readable reasons, shown by the dry run and in the workflow's query. */
  explanation: string[];
}
