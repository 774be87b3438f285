/**
 * Collects a plan's operations and reasons. Knows the one thing every planner shares: the records O1 created when
 * the call started are completed, not created again (the lead and the first task of the after-call plan).
 */
import type { CreatedBeforeCall } from './input';
import type { CallPlan, CreateOf, PlanOperation, PlanStage, RecordLink, RecordModule, RuleId } from './plan';

/** Keys of the before-call operations (O1): the workflow maps their ids into `CreatedBeforeCall`. */
export const BEFORE_CALL_KEYS = { lead: 'lead', task: 'task' } as const;
/** The keys of the after-call creates of the records a caller lookup finds. */
export const CLIENT_RECORD_KEYS = { contact: 'contact', lead: 'lead', deal: 'deal' } as const;

/**
 * The keys of each stage's creates whose records a caller lookup can find: a rerun of the stage leaves them out of
 * its lookup (`ClientLookupQuery.leaveOutRecordsOf`). The after-call stage's rerun also leaves out the lead O1 made,
 * and reports it (`CallerLookup.ownBeforeCall`): a run that replaces a closed one skips the before-call stage once
 * the call has ended, and would otherwise make a second lead.
 */
export const CALLER_RECORD_KEYS: Readonly<Record<PlanStage, readonly string[]>> = {
  'before-call': [BEFORE_CALL_KEYS.lead],
  'after-call': Object.values(CLIENT_RECORD_KEYS),
};

/**
 * The marker an O1 record takes when the after-call plan completes it: the one of the after-call create it stands
 * for. Its subject (the marker lookup's narrowing field) is that create's from now on, so a reset run (L2) that plans
 * the create finds the completed record instead of making another; C2 and C3 keep recognising it as callmatrix's.
 */
const standsFor = (spec: Omit<OperationSpec, 'module'>): CreateOf => ({ stage: 'after-call', key: spec.key });

export const existing = (module: RecordModule, id: string): RecordLink => ({ existing: { module, id } });
export const createdBy = (key: string): RecordLink => ({ createdBy: key });

export interface OperationSpec {
  key: string;
  rule: RuleId;
  module: RecordModule;
  fields: Record<string, unknown>;
  links?: Record<string, RecordLink>;
}

export class PlanBuilder {
  private readonly operations: PlanOperation[] = [];
  private readonly explanation: string[] = [];
  private beforeCallTaskId: string | undefined;

  /** `handOver`: the records created before the call (O1) take the after-call owner; else the senior manager keeps them. */
  constructor(
    private readonly beforeCall: CreatedBeforeCall = {},
    private readonly handOver = false,
  ) {
    this.beforeCallTaskId = beforeCall.taskId;
  }

  /** An O1 record's completion: without hand-over its owner, the senior manager, is left as it is. */
  private completing(spec: Omit<OperationSpec, 'module'>, module: 'Leads' | 'Tasks'): OperationSpec {
    if (this.handOver || !('Owner' in spec.fields)) return { ...spec, module };
    const fields = { ...spec.fields };
    delete fields.Owner;
    return { ...spec, module, fields };
  }

  explain(...lines: (string | undefined)[]): void {
    this.explanation.push(...lines.filter((line): line is string => !!line));
  }

  create(spec: OperationSpec): RecordLink {
    this.operations.push({ kind: 'create', links: {}, ...spec });
    return createdBy(spec.key);
  }

  /** `keepsMarkerOf`: the target is a record this call created, whose idempotency marker the update keeps. */
  update(target: RecordLink, spec: OperationSpec, keepsMarkerOf?: CreateOf): RecordLink {
    this.operations.push({ kind: 'update', target, links: {}, ...spec, ...(keepsMarkerOf ? { keepsMarkerOf } : {}) });
    return target;
  }

  /** The lead created before the call (O1), if any: a lead this plan wants is that one, completed. */
  get beforeCallLead(): RecordLink | undefined {
    return this.beforeCall.leadId ? existing('Leads', this.beforeCall.leadId) : undefined;
  }

  /** Creates the lead, or completes the one created before the call (O1). */
  lead(spec: Omit<OperationSpec, 'module'>): RecordLink {
    const before = this.beforeCallLead;
    if (!before) return this.create({ ...spec, module: 'Leads' });
    this.explain(
      `O1: the lead created when the call started (${this.beforeCall.leadId}) is completed instead of creating another` +
        (this.handOver ? ', and handed over.' : '; the senior manager keeps it (matrix.beforeCallOwner).'),
    );
    return this.update(before, this.completing(spec, 'Leads'), standsFor(spec));
  }

  /** Creates the task, or — for the plan's first task — completes the one created before the call (O1). */
  task(spec: Omit<OperationSpec, 'module'>): RecordLink {
    const taskId = this.beforeCallTaskId;
    if (!taskId) return this.create({ ...spec, module: 'Tasks' });
    this.beforeCallTaskId = undefined;
    this.explain(
      `O1: the task created when the call started (${taskId}) becomes the "${String(spec.fields.Subject)}" task` +
        (this.handOver ? ', and is handed over.' : '; the senior manager keeps it (matrix.beforeCallOwner).'),
    );
    return this.update(existing('Tasks', taskId), this.completing(spec, 'Tasks'), standsFor(spec));
  }

  /** The before-call task no rule of this plan took over (O1), if any. */
  get unusedBeforeCallTaskId(): string | undefined {
    return this.beforeCallTaskId;
  }

  /** Closes the before-call task no rule took over (O1), keeping its marker. */
  closeUnusedBeforeCallTask(spec: Omit<OperationSpec, 'module'>): void {
    const taskId = this.beforeCallTaskId;
    if (taskId) this.update(existing('Tasks', taskId), { ...spec, module: 'Tasks' }, standsFor(spec));
  }

  get hasOperations(): boolean {
    return this.operations.length > 0;
  }

  build(scenario: CallPlan['scenario'], rule: RuleId, extra: Pick<CallPlan, 'distribution'> = {}): CallPlan {
    return { scenario, rule, operations: this.operations, ...extra, explanation: this.explanation };
  }
}
