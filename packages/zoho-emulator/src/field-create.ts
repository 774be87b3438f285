import type { CrmContext, CrmReply } from './crm-route';
import { ZohoApiError } from './errors';
import { CUSTOM_FIELDS_PER_MODULE } from './limits';
import { moduleParam } from './metadata-routes';
import type { DataType, FieldDef, ModuleDef } from './modules';

/**
 * `POST /settings/fields?module=…` (Zoho's "Create Custom Fields", v8): `{"fields":[{field_label, data_type,
 * length?, api_name?}]}`, one result per field in Zoho's envelope. Where the documentation is silent the emulator
 * takes the stricter reading, so a client that works here works on Zoho (README, "Creating custom fields").
 */

/** The Update Custom Fields page allows five fields per call; create is held to the same. */
const MAX_FIELDS_PER_CALL = 5;
const MAX_LABEL_LENGTH = 50;
const MAX_API_NAME_LENGTH = 50;
/** Simple field types a client may create without type-specific keys (picklists need values, lookups a module). */
const CREATABLE: Partial<Record<DataType, { maxLength: number }>> = {
  text: { maxLength: 255 },
  textarea: { maxLength: 32000 },
  email: { maxLength: 100 },
  phone: { maxLength: 30 },
  website: { maxLength: 255 },
  integer: { maxLength: 9 },
  boolean: { maxLength: 0 },
  date: { maxLength: 0 },
  datetime: { maxLength: 0 },
};

type FieldResult = { code: string; details: Record<string, unknown>; message: string; status: 'success' | 'error' };

const failure = (code: string, message: string, details: Record<string, unknown>): FieldResult => ({ code, details, message, status: 'error' });

/** Zoho derives an API name from the label: every run of other characters becomes one underscore. */
const apiNameFromLabel = (label: string): string => label.trim().replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');

/**
 * API-name rules: a letter first, then letters, digits and single underscores, no trailing underscore (a double
 * underscore marks Zoho's system suffixes such as `__s`), at most 50 characters.
 */
const validApiName = (name: string): boolean => /^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$/.test(name) && name.length <= MAX_API_NAME_LENGTH;

function createOne(module: ModuleDef, input: unknown, newId: () => string, customLimit: number): FieldResult {
  const spec = (input ?? {}) as { field_label?: unknown; data_type?: unknown; length?: unknown; api_name?: unknown };
  if (typeof spec.field_label !== 'string' || !spec.field_label.trim()) return failure('MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'field_label' });
  if (typeof spec.data_type !== 'string') return failure('MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'data_type' });
  const label = spec.field_label.trim();
  if (label.length > MAX_LABEL_LENGTH) return failure('INVALID_DATA', 'the field label is too long', { api_name: 'field_label', maximum_length: MAX_LABEL_LENGTH });
  const type = CREATABLE[spec.data_type as DataType];
  if (!type) return failure('INVALID_DATA', 'invalid data type', { api_name: 'data_type' });
  const length = spec.length ?? type.maxLength;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > type.maxLength || (type.maxLength > 0 && length < 1)) {
    return failure('INVALID_DATA', 'the length given seems to be invalid', { api_name: 'length', maximum_length: type.maxLength });
  }
  const apiName = spec.api_name === undefined ? apiNameFromLabel(label) : spec.api_name;
  if (typeof apiName !== 'string' || !validApiName(apiName)) return failure('INVALID_DATA', 'the api name given seems to be invalid', { api_name: 'api_name' });
  const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  if (module.fields.some((f) => same(f.label, label))) return failure('DUPLICATE_DATA', 'duplicate data', { api_name: 'field_label' });
  if (module.fields.some((f) => same(f.apiName, apiName))) return failure('DUPLICATE_DATA', 'duplicate data', { api_name: 'api_name' });
  if (module.fields.filter((f) => f.custom).length >= customLimit) {
    return failure('LIMIT_EXCEEDED', 'the custom field limit of this module is reached', { limit: customLimit });
  }
  const field: FieldDef = { apiName, label, type: spec.data_type as DataType, id: newId(), custom: true, length };
  module.fields.push(field);
  return { code: 'SUCCESS', details: { id: field.id }, message: 'field created', status: 'success' };
}

export function createFields(ctx: CrmContext): CrmReply {
  const module = moduleParam(ctx);
  const fields = (ctx.body as { fields?: unknown } | undefined)?.fields;
  if (!Array.isArray(fields) || fields.length === 0) throw new ZohoApiError(400, 'INVALID_DATA', 'the fields given seem to be invalid', { api_name: 'fields' });
  if (fields.length > MAX_FIELDS_PER_CALL) throw new ZohoApiError(400, 'LIMIT_EXCEEDED', 'the number of fields exceeds the limit', { limit: MAX_FIELDS_PER_CALL });
  const limit = CUSTOM_FIELDS_PER_MODULE[ctx.state.org.edition];
  // One at a time, so a field given twice in one call is refused as a duplicate of the first.
  const results = fields.map((field) => createOne(module, field, () => ctx.state.ids.nextId(), limit));
  const created = results.filter((r) => r.status === 'success').length;
  const status = created === results.length ? 201 : created === 0 ? 400 : 207;
  return { status, body: { fields: results } };
}
