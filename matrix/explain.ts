/** A plan in words, for the dry run: why, then each operation with its rule, owner, links and key fields. */
import type { CallPlan, PlanOperation, RecordLink } from './plan';

const describeLink = (link: RecordLink): string =>
  'existing' in link ? `${link.existing.module} ${link.existing.id}` : `the record of step '${link.createdBy}'`;

/** Fields a reader needs to check the plan; the rest (long descriptions, reminders) are left out. */
const SHOWN_FIELDS = ['Subject', 'Status', 'Due_Date', 'Last_Name', 'Phone', 'Deal_Name', 'Pipeline', 'Stage', 'Call_Type', 'Call_Start_Time', 'Call_Duration'];

function describeOperation(operation: PlanOperation, index: number): string {
  const verb = operation.kind === 'create' ? `create ${operation.module}` : `update ${describeLink(operation.target)}`;
  const owner = (operation.fields.Owner as { id: string } | undefined)?.id;
  const shown = SHOWN_FIELDS.filter((field) => operation.fields[field] !== undefined).map(
    (field) => `${field}=${JSON.stringify(operation.fields[field])}`,
  );
  const others = Object.keys(operation.fields).filter((field) => !SHOWN_FIELDS.includes(field) && field !== 'Owner');
  const links = Object.entries(operation.links).map(([field, link]) => `${field} → ${describeLink(link)}`);
  return [
    `${index + 1}. [${operation.rule}] ${verb} (step '${operation.key}')`,
    owner ? `owner ${owner}` : undefined,
    ...shown,
    ...links,
    others.length > 0 ? `also ${others.join(', ')}` : undefined,
  ]
    .filter(Boolean)
    .join('; ');
}

export function explainPlan(plan: CallPlan): string[] {
  const head = `Scenario ${plan.scenario}, rule ${plan.rule}: ${plan.operations.length} operation(s).`;
  return [head, ...plan.explanation, ...plan.operations.map(describeOperation)];
}
