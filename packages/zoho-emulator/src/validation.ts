import { fieldOf, isModuleName, type FieldDef, type ModuleDef } from './modules';
import { userById, type Organisation } from './org';
import type { RecordStore, StoredRecord, StoredValues } from './store';
import { isZohoDate, isZohoDateTime } from './zoho-time';

/**
 * Per-record validation of inserts and updates, in the order Zoho reports the first problem: mandatory fields,
 * then each field's type/format/lookup, then cross-field rules (`$se_module`, pipeline stages, call duration),
 * then unique fields. Unknown and read-only fields are ignored, as Zoho does.
 */
export interface RecordError {
  code: string;
  details: Record<string, unknown>;
  message: string;
  status: 'error';
}

export type Validated = { ok: true; values: StoredValues } | { ok: false; error: RecordError };

const fail = (code: string, message: string, details: Record<string, unknown>): Validated => ({ ok: false, error: { code, details, message, status: 'error' } });

const isEmpty = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// Zoho's phone validation is permissive: digits, letters and `+ . - ( ) space , ; #` (fact sheet §2.2).
const PHONE = /^[0-9A-Za-z+.\-() ,;#]*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const WEBSITE = /^(https?:\/\/)?[^\s/]+(\.[^\s/]+|:\d+)+(\/\S*)?$/;
const DURATION = /^\d{1,3}:[0-5]\d(:[0-5]\d)?$/;

/** A lookup may be sent as `{"id": "…"}` or as the bare id. */
export function lookupId(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.id === 'string') return value.id;
  return undefined;
}

/** The module of a multi-module lookup: `$se_module`, `se_module` (Notes) or `Parent_Id.module.api_name` (v8 Notes). */
function seModuleOf(input: Record<string, unknown>, value: unknown): unknown {
  const nested = isObject(value) && isObject(value.module) ? value.module.api_name : undefined;
  return input.$se_module ?? input.se_module ?? nested;
}

interface Context {
  org: Organisation;
  store: RecordStore;
  clock: { now(): number };
}

type Checked = { value: unknown } | { error: string; message: string; extra: Record<string, unknown> };

const typeError = (field: FieldDef): Checked => ({ error: 'INVALID_DATA', message: 'invalid data', extra: { expected_data_type: field.type } });
const badId = (id: unknown): Checked => ({ error: 'INVALID_DATA', message: 'the id given seems to be invalid', extra: { id } });

function checkValue(ctx: Context, field: FieldDef, raw: unknown): Checked {
  switch (field.type) {
    case 'text':
    case 'textarea':
    case 'email':
    case 'phone':
    case 'website':
    case 'picklist': {
      if (typeof raw !== 'string') return typeError(field);
      if (field.length && raw.length > field.length) return { error: 'INVALID_DATA', message: 'invalid data', extra: { maximum_length: field.length } };
      if (field.type === 'email' && !EMAIL.test(raw)) return typeError(field);
      if (field.type === 'phone' && !PHONE.test(raw)) return typeError(field);
      if (field.type === 'website' && !WEBSITE.test(raw)) return typeError(field);
      if (field.type === 'picklist' && field.restricted && !field.picklist?.includes(raw)) return typeError(field);
      return { value: raw };
    }
    case 'integer':
    case 'double':
    case 'currency': {
      const ok = typeof raw === 'number' && Number.isFinite(raw) && (field.type !== 'integer' || (Number.isInteger(raw) && Math.abs(raw) < 1e9));
      if (!ok) return typeError(field);
      if ((field.min !== undefined && raw < field.min) || (field.max !== undefined && raw > field.max)) return typeError(field);
      return { value: raw };
    }
    case 'boolean':
      return typeof raw === 'boolean' ? { value: raw } : typeError(field);
    case 'date':
      return typeof raw === 'string' && isZohoDate(raw) ? { value: raw } : typeError(field);
    case 'datetime':
      return typeof raw === 'string' && isZohoDateTime(raw) ? { value: raw } : typeError(field);
    case 'ownerlookup': {
      const id = lookupId(raw);
      if (id === undefined) return typeError(field);
      return userById(ctx.org, id)?.status === 'active' ? { value: id } : badId(id);
    }
    case 'lookup': {
      const id = lookupId(raw);
      if (id === undefined) return typeError(field);
      // Multi-module lookups are resolved against `$se_module` in validateWrite.
      if (field.lookup && field.lookup.length === 1 && !ctx.store.get(field.lookup[0], id)) return badId(id);
      return { value: id };
    }
  }
}

function sameValue(field: FieldDef, a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string' && field.type === 'email') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

function durationSeconds(duration: unknown): number | undefined {
  if (typeof duration !== 'string') return undefined;
  return duration.split(':').reduce((total, p) => total * 60 + Number(p), 0);
}

/**
 * The Calls module's cross-field rules (fact sheet §4.2): a zero duration only for Missed calls, durations as
 * `mm:ss` or `h:mm:ss`, and a scheduled outbound call in the future, as "scheduled" means.
 */
function callProblem(ctx: Context, merged: StoredValues, values: StoredValues): { code: string; message: string; field: string; extra?: Record<string, unknown> } | undefined {
  if ((merged.Call_Type === 'Inbound' || merged.Call_Type === 'Outbound') && merged.Outgoing_Call_Status !== 'Scheduled' && durationSeconds(merged.Call_Duration) === 0) {
    return { code: 'DEPENDENT_MISMATCH', message: 'Call Duration can not be zero', field: 'Call_Duration' };
  }
  if (typeof values.Call_Duration === 'string' && !DURATION.test(values.Call_Duration)) {
    return { code: 'INVALID_DATA', message: 'invalid data', field: 'Call_Duration', extra: { expected_data_type: 'text' } };
  }
  if (merged.Outgoing_Call_Status === 'Scheduled' && typeof merged.Call_Start_Time === 'string' && Date.parse(merged.Call_Start_Time) <= ctx.clock.now()) {
    return { code: 'INVALID_DATA', message: 'Call Start Time should be a future time for scheduled calls', field: 'Call_Start_Time', extra: { expected_data_type: 'datetime' } };
  }
  return undefined;
}

/** Validates one element of `data[]`; `existing` is the record being updated, absent for inserts. */
export function validateWrite(ctx: Context, module: ModuleDef, input: unknown, jsonPath: string, existing?: StoredRecord): Validated {
  if (!isObject(input)) return fail('INVALID_DATA', 'invalid data', { json_path: jsonPath });
  const at = (apiName: string): Record<string, unknown> => ({ api_name: apiName, json_path: `${jsonPath}.${apiName}` });
  const missing = (apiName: string): boolean => (existing ? apiName in input && isEmpty(input[apiName]) : isEmpty(input[apiName]));

  for (const field of module.fields) {
    if (field.mandatory && missing(field.apiName)) return fail('MANDATORY_NOT_FOUND', 'required field not found', at(field.apiName));
  }
  const callType = input.Call_Type ?? existing?.values.Call_Type;
  const callStatus = input.Outgoing_Call_Status ?? existing?.values.Outgoing_Call_Status;
  // Zoho's documentation leaves open whether an Outbound call must state whether it was made or is planned: the
  // stricter reading, it must (the v8 SDK's Outgoing_Call_Status). A scheduled call has no duration yet.
  if (module.apiName === 'Calls' && callType === 'Outbound' && missing('Outgoing_Call_Status')) {
    return fail('MANDATORY_NOT_FOUND', 'required field not found', at('Outgoing_Call_Status'));
  }
  if (module.apiName === 'Calls' && callType !== 'Missed' && callStatus !== 'Scheduled' && missing('Call_Duration')) {
    return fail('MANDATORY_NOT_FOUND', 'required field not found', at('Call_Duration'));
  }

  const values: StoredValues = {};
  for (const [key, raw] of Object.entries(input)) {
    const field = fieldOf(module, key);
    if (!field || field.readOnly) continue;
    if (isEmpty(raw)) {
      values[key] = null;
      continue;
    }
    const checked = checkValue(ctx, field, raw);
    if ('error' in checked) return fail(checked.error, checked.message, { ...at(key), ...checked.extra });
    values[key] = checked.value;
    if (field.lookup && field.lookup.length > 1) {
      const seModule = seModuleOf(input, raw);
      if (isEmpty(seModule)) return fail('MANDATORY_NOT_FOUND', 'required field not found', at('$se_module'));
      if (typeof seModule !== 'string' || !isModuleName(seModule) || !field.lookup.includes(seModule)) {
        return fail('INVALID_DATA', 'invalid data', { ...at('$se_module'), expected_data_type: 'module' });
      }
      if (!ctx.store.get(seModule, checked.value as string)) return fail('INVALID_DATA', 'the id given seems to be invalid', { ...at(key), id: checked.value });
      values.$se_module = seModule;
    }
  }

  const merged = { ...existing?.values, ...values };
  if (module.apiName === 'Deals' && ('Pipeline' in values || 'Stage' in values)) {
    const pipeline = ctx.org.pipelines.find((p) => p.actual_value === merged.Pipeline);
    if (!pipeline) return fail('INVALID_DATA', 'invalid data', { ...at('Pipeline'), expected_data_type: 'picklist' });
    if (!pipeline.maps.some((s) => s.actual_value === merged.Stage)) return fail('INVALID_DATA', 'invalid data', { ...at('Stage'), expected_data_type: 'picklist' });
  }
  if (module.apiName === 'Calls') {
    const problem = callProblem(ctx, merged, values);
    if (problem) return fail(problem.code, problem.message, { ...at(problem.field), ...problem.extra });
  }

  for (const field of module.fields) {
    const value = values[field.apiName];
    if (!field.unique || isEmpty(value)) continue;
    const clash = ctx.store.all(module.apiName).find((r) => r.id !== existing?.id && sameValue(field, r.values[field.apiName], value));
    if (clash) {
      const owner = userById(ctx.org, clash.values.Owner as string);
      return fail('DUPLICATE_DATA', 'duplicate data', {
        ...at(field.apiName),
        duplicate_record: { id: clash.id, module: { api_name: module.apiName, id: module.id }, Owner: owner ? { name: owner.full_name, id: owner.id } : null },
      });
    }
  }
  return { ok: true, values };
}

/** The stored form of values written straight into the store (inspection API): lookups reduced to ids, no checks. */
export function toStoredValues(module: ModuleDef, input: Record<string, unknown>): StoredValues {
  const values: StoredValues = {};
  for (const [key, raw] of Object.entries(input)) {
    const field = fieldOf(module, key);
    if (key === '$se_module') values[key] = raw;
    else if (field && (field.type === 'lookup' || field.type === 'ownerlookup')) {
      values[key] = lookupId(raw) ?? null;
      const seModule = field.lookup && field.lookup.length > 1 ? seModuleOf(input, raw) : undefined;
      if (seModule !== undefined) values.$se_module = seModule;
    } else if (field) values[key] = raw;
  }
  return values;
}
