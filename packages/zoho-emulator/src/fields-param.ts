import { ZohoApiError, requiredParamMissing } from './errors';
import { fieldOf, type ModuleDef } from './modules';

const MAX_FIELDS = 50;

/** Parses the `fields` query parameter: comma-separated API names of `module`, at most 50. */
export function readFields(module: ModuleDef, raw: string | undefined, required: boolean): string[] | undefined {
  if (raw === undefined || raw.trim() === '') {
    if (required) throw requiredParamMissing('fields');
    return undefined;
  }
  const fields = raw
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '' && f !== 'id');
  if (fields.length > MAX_FIELDS) throw new ZohoApiError(400, 'LIMIT_EXCEEDED', `fields exceeds the limit of ${MAX_FIELDS}`, { param_name: 'fields', limit: MAX_FIELDS });
  const unknown = fields.find((f) => !fieldOf(module, f));
  if (unknown) throw new ZohoApiError(400, 'INVALID_DATA', 'the field given seems to be invalid', { param_name: 'fields', api_name: unknown });
  return fields;
}
