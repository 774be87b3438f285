/**
 * Start-up checks of what the matrix writes against the CRM's fields: the A3/D2 custom fields on Leads and the
 * per-module mappings (D3). A target must exist, be a String (`text`) field, and receive one parameter only.
 */
import { MAPPED_MODULES, type MappedModule } from './mapped-modules';
import type { Settings } from './settings-schema';
import { DEFAULT_LEAD_FIELDS } from './fields';

/** A field as `GET /settings/fields?module=…` returns it (other keys ignored). */
export interface ZohoFieldMeta {
  api_name: string;
  data_type: string;
  /** Picklists only: the values the org offers. */
  pick_list_values?: { actual_value: string }[];
}

export interface MappingError {
  module: MappedModule;
  field: string;
  problem: 'missing' | 'not-string' | 'several-parameters';
  /** Ready to show to the admin. */
  message: string;
}

/** The parameters each target field of a module receives: D2 defaults (Leads) and D3 mappings. */
function sourcesByField(module: MappedModule, settings: Settings): Map<string, string[]> {
  const sources = new Map<string, string[]>();
  const add = (field: string, source: string): void => {
    sources.set(field, [...(sources.get(field) ?? []), source]);
  };
  if (module === 'Leads') for (const field of Object.keys(DEFAULT_LEAD_FIELDS)) add(field, `default parameter for ${field}`);
  for (const [parameter, field] of Object.entries(settings.mappings[module])) add(field, `'${parameter}'`);
  return sources;
}

/**
 * The part that needs no CRM metadata, for when the settings load: no Zoho field may receive two parameters —
 * two mappings, or a mapping and a default parameter (D3).
 */
export function validateMappingTargets(settings: Settings): MappingError[] {
  return MAPPED_MODULES.flatMap((module) =>
    [...sourcesByField(module, settings)]
      .filter(([, sources]) => sources.length > 1)
      .map(([field, sources]) => ({
        module,
        field,
        problem: 'several-parameters' as const,
        message: `mappings.${module}: field ${field} would receive ${sources.join(' and ')}; one Zoho field takes one parameter.`,
      })),
  );
}

/**
 * Everything: the pure checks above, plus each target field against the module's fields in the CRM. Modules
 * without metadata are not checked against it (their fields could not be read).
 */
export function validateMappings(settings: Settings, fieldsByModule: Partial<Record<MappedModule, readonly ZohoFieldMeta[]>>): MappingError[] {
  const errors = validateMappingTargets(settings);
  for (const module of MAPPED_MODULES) {
    const fields = fieldsByModule[module];
    if (!fields) continue;
    for (const [field, sources] of sourcesByField(module, settings)) {
      const meta = fields.find((candidate) => candidate.api_name === field);
      const receives = `(receives ${sources.join(' and ')})`;
      if (!meta) {
        errors.push({
          module,
          field,
          problem: 'missing',
          message: `${module}: field ${field} does not exist ${receives}; create it as a String field in Zoho CRM (Setup › Modules and Fields › ${module}).`,
        });
      } else if (meta.data_type !== 'text') {
        errors.push({
          module,
          field,
          problem: 'not-string',
          message: `${module}: field ${field} is of type '${meta.data_type}', not String ${receives}; map the parameter to a String field.`,
        });
      }
    }
  }
  return errors;
}
