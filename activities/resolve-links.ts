import type { PlanOperation, RecordLink, RecordModule } from '../matrix/plan';

export interface RecordId {
  module: RecordModule;
  id: string;
}

/**
 * Turns an operation's links into Zoho lookup values, using the ids of records earlier operations created.
 * `What_Id` also needs `$se_module`, the linked record's module.
 */
export function resolveLinks(operation: PlanOperation, created: ReadonlyMap<string, RecordId>): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...operation.fields };
  for (const [field, link] of Object.entries(operation.links)) {
    const target = resolve(link, created, operation.key);
    fields[field] = { id: target.id };
    if (field === 'What_Id') fields.$se_module = target.module;
  }
  return fields;
}

export function resolve(link: RecordLink, created: ReadonlyMap<string, RecordId>, from: string): RecordId {
  if ('existing' in link) return link.existing;
  const target = created.get(link.createdBy);
  if (!target) throw new Error(`operation ${from} links to ${link.createdBy}, which did not run before it`);
  return target;
}
