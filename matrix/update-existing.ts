/**
 * O2: another integration creates the leads/deals/tasks at call start or pickup; we never create, we find what it
 * made for this call and write the call's data into it.
 */
import { callSummary } from './call-text';
import { employeeLine } from './call-plan';
import { assessCaller, choose, isOpenDeal } from './caller';
import { resolveEmployee } from './employees';
import { leadCallData, mappedFields } from './fields';
import type { MatrixInput } from './input';
import type { CallPlan } from './plan';
import { PlanBuilder, existing } from './plan-builder';
import { classifyCall } from './scenarios';

/**
 * "Made for this call" = created at most this long before the call started. The other integration creates its
 * records at ringing or pickup; older records belong to earlier conversations and keep their own attribution.
 * The margin absorbs clock differences between the telephony and the CRM.
 */
export const O2_FRESHNESS_MARGIN_MINUTES = 5;

/** The earliest creation time of a record made for a call that started at `startedAt` (ISO 8601). */
export function madeForCallSince(startedAt: string): string {
  return new Date(Date.parse(startedAt) - O2_FRESHNESS_MARGIN_MINUTES * 60_000).toISOString();
}

export function planUpdateExisting(input: MatrixInput): CallPlan {
  const { call, settings, lookup } = input;
  const plan = new PlanBuilder();
  const since = Date.parse(madeForCallSince(call.startedAt));
  const fresh = <T extends { createdTime: string }>(records: readonly T[]): T[] =>
    records.filter((record) => Date.parse(record.createdTime) >= since);
  const scenario = classifyCall(call, assessCaller(lookup, input.pipelines).kind);

  const lead = choose(fresh(lookup.leads.filter((candidate) => !candidate.converted)));
  const deal = choose(fresh(lookup.deals.filter((candidate) => isOpenDeal(candidate, input.pipelines))));
  const contact = choose(fresh(lookup.contacts));
  const task = choose(fresh(lookup.tasks ?? []));
  plan.explain(
    `O2: mode update-existing — nothing is created; records made since ${O2_FRESHNESS_MARGIN_MINUTES} min before the call started get the call data.`,
  );

  const updates = [
    { found: lead, module: 'Leads', key: 'lead', fields: lead && leadCallData(call, settings) },
    { found: deal, module: 'Deals', key: 'deal', fields: deal && mappedFields('Deals', settings, call.parameters) },
    { found: contact, module: 'Contacts', key: 'contact', fields: contact && mappedFields('Contacts', settings, call.parameters) },
    {
      found: task,
      module: 'Tasks',
      key: 'task',
      // The other system owns the task's subject, status and due date; the call's story is ours to tell.
      fields: task && {
        Description: callSummary(call, employeeLine(call, resolveEmployee(call.employee, settings.employees, settings.telephony.defaultCountry)), input.timeZone).join('\n'),
      },
    },
  ] as const;
  for (const { found, module, key, fields } of updates) {
    if (!found) continue;
    if (!fields || Object.keys(fields).length === 0) {
      plan.explain(`O2: ${module} ${found.id} found, but the call has no data mapped to it.`);
      continue;
    }
    plan.explain(`O2: ${module} ${found.id} gets ${Object.keys(fields).join(', ')}.`);
    plan.update(existing(module, found.id), { key, rule: 'O2', module, fields });
  }
  if (!plan.hasOperations) plan.explain('O2: no lead, deal, contact or task made for this call was found: nothing is written.');
  return plan.build(scenario, 'O2');
}
