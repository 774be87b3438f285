import { fieldOf, type FieldDef, type ModuleName } from './modules';
import { moduleDef, userById, type Organisation } from './org';
import type { RecordStore, StoredRecord } from './store';
import { formatZohoDateTime } from './zoho-time';

/** Stored records → the CRM API's JSON: users and lookups as `{"name","id"}`, system times in the org's zone. */
export interface RenderContext {
  org: Organisation;
  store: RecordStore;
}

export function recordName(ctx: RenderContext, module: ModuleName, id: string): string | null {
  const target = ctx.store.get(module, id);
  if (!target) return null;
  const value = target.values[moduleDef(ctx.org, module).nameField];
  return typeof value === 'string' ? value : null;
}

function renderUser(ctx: RenderContext, id: unknown): { name: string; id: string; email: string } | null {
  const user = typeof id === 'string' ? userById(ctx.org, id) : undefined;
  return user ? { name: user.full_name, id: user.id, email: user.email } : null;
}

/** The module a lookup value points into: its only target, or `$se_module` for multi-module lookups. */
function lookupTarget(field: FieldDef, record: { values: Record<string, unknown> }): ModuleName | undefined {
  if (!field.lookup) return undefined;
  return field.lookup.length === 1 ? field.lookup[0] : (record.values.$se_module as ModuleName | undefined);
}

function renderField(ctx: RenderContext, record: StoredRecord, field: FieldDef): unknown {
  switch (field.apiName) {
    case 'Created_Time':
      return formatZohoDateTime(record.createdAt, ctx.org.timeZone);
    case 'Modified_Time':
      return formatZohoDateTime(record.modifiedAt, ctx.org.timeZone);
    case 'Created_By':
      return renderUser(ctx, record.createdBy);
    case 'Modified_By':
      return renderUser(ctx, record.modifiedBy);
  }
  const value = record.values[field.apiName];
  if (value === undefined || value === null) return field.type === 'boolean' ? false : null;
  if (field.type === 'ownerlookup') return renderUser(ctx, value);
  if (field.type === 'lookup') {
    const target = lookupTarget(field, record);
    const id = String(value);
    const rendered = { name: target ? recordName(ctx, target, id) : null, id };
    // v8 Notes carry the parent's module inside Parent_Id.
    return field.apiName === 'Parent_Id' && target ? { ...rendered, module: { api_name: target, id: moduleDef(ctx.org, target).id } } : rendered;
  }
  return value;
}

/** Renders a record with all its fields, or only `fields` (plus `id`, which Zoho always returns). */
export function renderRecord(ctx: RenderContext, record: StoredRecord, fields?: readonly string[]): Record<string, unknown> {
  const module = moduleDef(ctx.org, record.module);
  const selected = fields ? fields.map((f) => fieldOf(module, f)).filter((f): f is FieldDef => f !== undefined) : module.fields;
  const out: Record<string, unknown> = { id: record.id };
  for (const field of selected) {
    out[field.apiName] = renderField(ctx, record, field);
    if (field.lookup && field.lookup.length > 1) out.$se_module = record.values.$se_module ?? null;
  }
  return out;
}

/** The `details` of a successful write: id, times and users, as in Zoho's per-record success result. */
export function writeDetails(ctx: RenderContext, record: StoredRecord): Record<string, unknown> {
  const by = (id: string): { name: string; id: string } | null => {
    const user = renderUser(ctx, id);
    return user && { name: user.name, id: user.id };
  };
  return {
    Modified_Time: formatZohoDateTime(record.modifiedAt, ctx.org.timeZone),
    Modified_By: by(record.modifiedBy),
    Created_Time: formatZohoDateTime(record.createdAt, ctx.org.timeZone),
    id: record.id,
    Created_By: by(record.createdBy),
    $approval_state: 'approved',
  };
}
