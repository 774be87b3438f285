/**
 * The recommended matrix (M1–M14) with its switches (O3), the unmapped-line alarm (M3), missed-call distribution
 * (O4) and the completion of records created before the call (O1): an ended call → the CRM operations it needs.
 */
import type { Employee, Scenario } from './settings-schema';
import { callStatus, callSummary, callTaskSubject, formatDuration } from './call-text';
import { callRecordFields } from './call-record';
import { callbackSubjectPrefix, completedCallback, reachedAfterMissedCall } from './callback-closure';
import { assessCaller, withActiveResponsible, type CallerSituation } from './caller';
import { employeesWhoCanOwn, resolveEmployee, type EmployeeResolution } from './employees';
import { newContactFields, newDealFields, newLeadFields } from './fields';
import type { MatrixInput } from './input';
import type { CallPlan, RecordLink, RuleId } from './plan';
import { CLIENT_RECORD_KEYS, PlanBuilder, existing } from './plan-builder';
import { placeDeal } from './pipelines';
import { actionsFor, classifyCall, describeSwitches, SCENARIO_RULES, type Actions } from './scenarios';
import { taskFields, type TaskContent, type TaskLinks } from './tasks';

const CLIENT_WORDS = { new: 'a new client', 'open-lead-or-deal': 'a client with an open lead/deal', 'contact-only': 'a client with only a contact' } as const;

/** The rule of the scenario's row, told apart by whether the responsible manager was the one on the call. */
function scenarioRule(scenario: Scenario, byResponsible: boolean): RuleId {
  if (scenario === 'answered-open-lead-or-deal') return byResponsible ? 'M4' : 'M5';
  if (scenario === 'answered-contact-only') return byResponsible ? 'M6' : 'M7';
  return SCENARIO_RULES[scenario];
}

/** O4: the employees flagged for missed-call distribution, in settings order. */
const distributionPool = (employees: readonly Employee[]): Employee[] => employees.filter((employee) => employee.missedCallDistribution);

/** O4: the pool member whose turn it is. */
function distributionPick(pool: Employee[], turn: number): { employee: Employee; turn: number } {
  const index = ((Math.trunc(turn) % pool.length) + pool.length) % pool.length;
  return { employee: pool[index], turn };
}

/** Who was on the call, for the call summary (also the task text O2 writes). */
export function employeeLine(call: MatrixInput['call'], resolution: EmployeeResolution): string | undefined {
  const verb = call.direction === 'outgoing' ? 'Called by' : 'Answered by';
  if (call.direction === 'incoming' && call.outcome !== 'answered') return undefined;
  if (resolution.kind === 'mapped') return `${verb}: ${resolution.employee.name}`;
  if (resolution.kind === 'unmapped') return `${verb}: ${resolution.identity} — belongs to no employee in the integration settings`;
  return `${verb}: not reported by the telephony`;
}

/** Everything the row builders share about one call. */
interface Context {
  input: MatrixInput;
  phone: string;
  client: CallerSituation;
  scenario: Scenario;
  actions: Actions;
  /** The rule of the scenario's row that the operations are tagged with (M3 tags only its own task). */
  rowRule: RuleId;
  resolution: EmployeeResolution;
  /** The mapped employee on the call (answered incoming or outgoing). */
  employee?: Employee;
  /** Owner of what the plan creates for the client: the employee on the call, else the responsible/distributed/senior manager. */
  creationOwnerId?: string;
  summary: string[];
  plan: PlanBuilder;
}

/**
 * The record and contact the call's tasks link to: the client's open lead/deal, or — for a client without one —
 * the lead, contact and deal the scenario creates (or the lead created before the call, O1).
 */
function addClientRecords(ctx: Context): TaskLinks {
  const { input, phone, client, actions, plan } = ctx;
  const { call, settings, timeZone } = input;
  let who: RecordLink | undefined = client.contact && existing('Contacts', client.contact.id);
  if (client.kind === 'open-lead-or-deal') {
    const record = client.record!;
    return { what: { module: record.module, link: existing(record.module, record.id) }, who };
  }
  if (actions.createContact && !who) {
    who = plan.create({ key: CLIENT_RECORD_KEYS.contact, rule: ctx.rowRule, module: 'Contacts', fields: newContactFields(call, phone, ctx.creationOwnerId, settings) });
  }
  let what: TaskLinks['what'];
  if (actions.createLead) {
    what = { module: 'Leads', link: plan.lead({ key: CLIENT_RECORD_KEYS.lead, rule: ctx.rowRule, fields: newLeadFields(call, phone, ctx.creationOwnerId, settings, timeZone) }) };
  } else if (plan.beforeCallLead) {
    what = { module: 'Leads', link: plan.beforeCallLead };
    plan.explain('O1: no lead is wanted for this outcome; the lead created when the call started stays with its owner.');
  }
  if (actions.createDeal) {
    const placement = placeDeal(settings, call.parameters, input.pipelines);
    if (!placement) {
      plan.explain('D4: the CRM lists no pipeline with an open stage, so no deal is created.');
    } else {
      plan.explain(`D4: the deal goes to pipeline '${placement.pipeline}', stage '${placement.stage}' (${placement.reason}).`);
      const deal = plan.create({
        key: CLIENT_RECORD_KEYS.deal,
        rule: ctx.rowRule,
        module: 'Deals',
        fields: newDealFields(call, phone, ctx.creationOwnerId, placement, settings, timeZone),
        links: who ? { Contact_Name: who } : {},
      });
      what ??= { module: 'Deals', link: deal };
    }
  }
  return { what, who };
}

/** `finish`: what becomes of the task's fields before they are written (a callback already done, C3). */
function addTask(ctx: Context, key: string, rule: RuleId, content: Omit<TaskContent, 'summary'>, finish = (fields: Record<string, unknown>) => fields): void {
  const { call, timeZone } = ctx.input;
  const { fields, links } = taskFields({ ...content, summary: ctx.summary }, { at: call.endedAt ?? call.startedAt, timeZone });
  ctx.plan.task({ key, rule, fields: finish(fields), links });
}

/** M2, M4–M7, M10, M12: the employee on the call gets a completed task with the recording — or, unmapped, M3. */
function addCallTask(ctx: Context, links: TaskLinks): void {
  const { input, phone, employee, resolution } = ctx;
  const { call, settings } = input;
  if (!employee) {
    if (ctx.scenario === 'outgoing-unknown') return;
    const identity = resolution.kind === 'unmapped' ? resolution.identity : 'a line the telephony did not name';
    const seniorId = settings.seniorManager?.zohoUserId;
    ctx.plan.explain(
      `M3: the call was ${call.direction === 'outgoing' ? 'placed from' : 'answered on'} ${identity}, which belongs to no employee: ` +
        `a task to check the integration settings goes to the senior manager${seniorId ? '' : ' (none configured: the CRM makes the integration user owner)'}.`,
    );
    addTask(ctx, 'task-check-settings', 'M3', {
      subject: `Check integration settings: call ${call.direction === 'outgoing' ? 'placed from' : 'answered on'} ${identity}`,
      ownerId: seniorId,
      dueInMinutes: settings.tasks.reviewDueMinutes,
      instructions: [
        `The call with ${phone} was ${call.direction === 'outgoing' ? 'placed from' : 'answered on'} ${identity}, which belongs to no employee.`,
        'Add it to the right employee in the callmatrix settings (phones, sipLogins, extensions or extraSipAccounts) so calls reach their manager.',
      ],
      links,
    });
    return;
  }
  if (!ctx.actions.completedTask) return;
  const talk = call.outcome === 'answered' && call.talkSeconds !== undefined ? ` (${formatDuration(call.talkSeconds)})` : '';
  addTask(ctx, 'task-call', ctx.scenario === 'answered-new-client' ? 'M2' : ctx.rowRule, {
    subject: `${callTaskSubject(call, phone)}${talk}`,
    ownerId: employee.zohoUserId,
    instructions: [],
    links,
  });
}

/** M5, M7: another manager's client called; its responsible manager reviews the call. */
function addReviewTask(ctx: Context, links: TaskLinks): void {
  const { input, phone, client, employee } = ctx;
  const responsibleId = client.responsibleOwnerId;
  if (!ctx.actions.followUpTask || !responsibleId || employee?.zohoUserId === responsibleId) return;
  const by = employee ? employee.name : 'an unmapped line';
  addTask(ctx, 'task-review', ctx.rowRule, {
    subject: `Review call from ${phone} answered by ${by}`,
    ownerId: responsibleId,
    dueInMinutes: input.settings.tasks.reviewDueMinutes,
    instructions: [`Your client ${phone} called and ${by} answered. Listen to the recording and take the client from here.`],
    links,
  });
}

/** M8, M9, M13, M14: nobody talked to the client; someone calls back. */
function addCallbackTask(ctx: Context, links: TaskLinks, ownerId: string | undefined): void {
  const { input, phone } = ctx;
  if (!ctx.actions.followUpTask) return;
  const voicemail = input.call.outcome === 'voicemail';
  const reached = reachedAfterMissedCall(input);
  if (reached) {
    ctx.plan.explain(
      `C3: an answered call with ${phone} after this one is in the CRM already (${reached.module} ${reached.id}): the client was reached, so the callback task is written completed.`,
    );
  }
  const finish = reached && ((fields: Record<string, unknown>) => completedCallback(fields, reached, input.timeZone));
  addTask(
    ctx,
    'task-callback',
    ctx.rowRule,
    {
      subject: `${callbackSubjectPrefix(phone)} ${voicemail ? 'voicemail' : 'missed call'}`,
      ownerId,
      dueInMinutes: input.settings.tasks.callbackDueMinutes,
      instructions: [
        voicemail
          ? `The client called and left a voicemail (recording below). Listen to it and call back ${phone}.`
          : `The client called and nobody answered. Call back ${phone}.`,
      ],
      links,
    },
    finish,
  );
}

/** Who was on the call and who the caller is: what both the plan and the O4 question start from. */
function callSituation(input: Omit<MatrixInput, 'distributionTurn'>) {
  const { call, settings } = input;
  const onCall = call.direction === 'outgoing' || call.outcome === 'answered';
  const employees = employeesWhoCanOwn(settings.employees, input.activeUserIds);
  const resolution = onCall ? resolveEmployee(call.employee, employees, settings.telephony.defaultCountry) : ({ kind: 'none' } as const);
  const employee = resolution.kind === 'mapped' ? resolution.employee : undefined;
  const before = input.createdBeforeCall ?? {};
  const assessed = assessCaller(input.lookup, input.pipelines, {
    preferredOwnerId: employee?.zohoUserId,
    excludeIds: [before.leadId, before.taskId].filter((id): id is string => !!id),
  });
  const client = withActiveResponsible(assessed, input.activeUserIds, settings.seniorManager?.zohoUserId);
  const scenario = classifyCall(call, client.kind);
  const actions = actionsFor(scenario, settings);
  // O4: a new client's missed call or voicemail goes to the next manager in turn, if it creates anything to own.
  const pool = distributionPool(employees);
  const distributes = !onCall && client.kind === 'new' && pool.length > 0 && Object.values(actions).some(Boolean);
  return { onCall, resolution, employee, client, scenario, actions, pool, distributes };
}

/** Whether the call's plan takes a turn of the missed-call round robin (O4), in `create` mode. */
export const matrixCallDistributes = (input: Omit<MatrixInput, 'distributionTurn'>): boolean => callSituation(input).distributes;

/** The matrix proper, for a call that has a client number and is not internal, in `create` mode. */
export function planMatrixCall(input: MatrixInput, phone: string): CallPlan {
  const { call, settings } = input;
  const plan = new PlanBuilder(input.createdBeforeCall, settings.matrix.beforeCallOwner === 'answering-manager');
  const { onCall, resolution, employee, client, scenario, actions, pool, distributes } = callSituation(input);
  const byResponsible = !!employee && employee.zohoUserId === client.responsibleOwnerId;
  const unmapped = onCall && !employee && scenario !== 'outgoing-unknown';
  const rowRule = scenarioRule(scenario, byResponsible);
  const rule = unmapped ? 'M3' : rowRule;
  const seniorId = settings.seniorManager?.zohoUserId;
  const distributed = distributes ? distributionPick(pool, input.distributionTurn) : undefined;
  const configured = resolution.kind === 'unmapped' ? resolveEmployee(call.employee, settings.employees, settings.telephony.defaultCountry) : undefined;
  const creationOwnerId = onCall ? (employee?.zohoUserId ?? seniorId) : (client.responsibleOwnerId ?? distributed?.employee.zohoUserId ?? seniorId);

  plan.explain(
    `${rule}: ${callStatus(call)} call, ${phone} is ${CLIENT_WORDS[client.kind]}` +
      (client.record ? ` (${client.record.module} ${client.record.id}, owner ${client.record.ownerId})` : '') +
      (client.kind === 'contact-only' ? ` (Contacts ${client.contact!.id}, owner ${client.contact!.ownerId})` : '') +
      ` — scenario ${scenario}.`,
    ...client.notes,
    describeSwitches(scenario, actions, settings),
    configured?.kind === 'mapped'
      ? `M3: ${configured.employee.name}'s Zoho user (${configured.employee.zohoUserId}) is not an active user: the call counts as answered on a line of no employee.`
      : undefined,
    call.transferred ? `M16: the call was transferred; only the first employee's conversation${employee ? ` (${employee.name})` : ''} is recorded.` : undefined,
    distributed ? `O4: missed call from a new client goes to ${distributed.employee.name} (distribution turn ${distributed.turn}).` : undefined,
    !onCall && client.kind === 'new' && !distributed && !seniorId
      ? 'No senior manager configured and nobody in the missed-call distribution: the CRM makes the integration user owner.'
      : undefined,
  );

  const ctx: Context = {
    input,
    phone,
    client,
    scenario,
    actions,
    rowRule,
    resolution,
    employee,
    creationOwnerId,
    summary: callSummary(call, employeeLine(call, resolution), input.timeZone),
    plan,
  };
  const links = addClientRecords(ctx);
  if (onCall) addCallTask(ctx, links);
  if (call.direction === 'incoming' && onCall && client.kind !== 'new') addReviewTask(ctx, links);
  if (!onCall) addCallbackTask(ctx, links, creationOwnerId);
  completeUnusedBeforeCallTask(ctx);
  addCallRecord(ctx, links);
  if (!plan.hasOperations) plan.explain(`${rule}: nothing to write for this call.`);
  return plan.build(scenario, rule, distributed && plan.hasOperations ? { distribution: { turn: distributed.turn, employeeCode: distributed.employee.code } } : {});
}

/**
 * C1: the call in Zoho's Calls module, once (its create carries an idempotency marker like every create), linked
 * like the call's tasks. Owned by the employee on the call, else by whoever the plan gives the client to (the
 * responsible manager, the O4 turn or the senior manager).
 */
function addCallRecord(ctx: Context, links: TaskLinks): void {
  if (!ctx.actions.callRecord) return;
  const { call, timeZone, callRecordingField } = ctx.input;
  const { fields, links: recordLinks } = callRecordFields({
    call,
    phone: ctx.phone,
    ownerId: ctx.creationOwnerId,
    summary: ctx.summary,
    links,
    timeZone,
    recordingField: callRecordingField ?? false,
  });
  ctx.plan.explain(`C1: the call is logged in the Calls module as ${String(fields.Call_Type)}.`);
  ctx.plan.create({ key: 'call-record', rule: 'C1', module: 'Calls', fields, links: recordLinks });
}

/** O1: a task created when the call started that no rule took over is closed with what happened. */
function completeUnusedBeforeCallTask(ctx: Context): void {
  const taskId = ctx.plan.unusedBeforeCallTaskId;
  if (!taskId) return;
  const { call, timeZone } = ctx.input;
  const { fields } = taskFields(
    { subject: `Call from ${ctx.phone}: ${call.outcome}`, ownerId: undefined, instructions: [], summary: ctx.summary, links: {} },
    { at: call.endedAt ?? call.startedAt, timeZone },
  );
  ctx.plan.explain('O1: no task is wanted for this outcome; the task created when the call started is marked completed.');
  ctx.plan.closeUnusedBeforeCallTask({ key: 'task-before-call', rule: 'O1', fields });
}
