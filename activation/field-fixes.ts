/**
 * `callmatrix doctor --fix` and the activation page's "Create the missing fields" (A4): the String fields the
 * integration writes (A3's `rs_*` on Leads, D3's mapping targets) that the CRM lacks are created through Zoho's
 * Fields API. `fieldsToCreate` is pure (the doctor's facts in, the fields out); `createMissingFields` asks Zoho.
 */
import { validateMappings } from '../matrix';
import type { MappedModule } from '../matrix/settings-schema';
import { ZohoAuthorizationError, ZohoError, type ZohoClient } from '../zoho';
import { ActivationError } from './activate';
import { REACTIVATE, type DoctorFacts } from './doctor';
import { effectiveSettings } from './effective-settings';
import { FIELD_CREATION_SCOPE, missingScopes } from './scopes';

export interface FieldToCreate {
  module: MappedModule;
  apiName: string;
}

export interface FieldCreation extends FieldToCreate {
  /** The new field's id, or why Zoho refused it. */
  outcome: { created: string } | { refused: string };
}

/** Only missing fields: a field of another type holds data already, and replacing it is the admin's decision. */
export function fieldsToCreate(facts: DoctorFacts): FieldToCreate[] {
  if (!facts.crm) return [];
  const settings = effectiveSettings(facts.fileSettings, { choices: () => facts.choices });
  const missing = validateMappings(settings, facts.crm.fieldsByModule).filter((error) => error.problem === 'missing');
  const unique = new Map(missing.map((error) => [`${error.module}.${error.field}`, { module: error.module, apiName: error.field }]));
  return [...unique.values()];
}

/** What will be created, or why nothing can be said: the CRM's fields could not be read. */
export function describeFieldsToCreate(facts: DoctorFacts, fields: readonly FieldToCreate[]): string {
  if (!facts.crm) return 'The fields cannot be checked: Zoho CRM is not connected or could not be read (`callmatrix doctor` says why).\n';
  if (fields.length === 0) return 'No field to create: every field callmatrix writes exists.\n';
  const lines = fields.map((f) => `  ${f.module}: ${f.apiName} (Single Line, 255 characters)`);
  return `These String fields are missing and will be created in Zoho CRM:\n${lines.join('\n')}\n`;
}

export const REACTIVATE_FOR_FIELDS =
  `creating fields needs the scope ${FIELD_CREATION_SCOPE}, which this activation (made before callmatrix asked for it) lacks. ` +
  `Re-activate to grant it (${REACTIVATE}, with a grant code generated for the scopes in the README), ` +
  'or create the fields yourself in Zoho CRM (Setup › Modules and Fields).';

/** When the stored grant lists its scopes, whether it lacks the one creating fields needs; unknown counts as granted. */
export function lacksFieldCreationScope(grantedScopes: readonly string[] | undefined): boolean {
  return grantedScopes !== undefined && missingScopes(grantedScopes, [FIELD_CREATION_SCOPE]).length > 0;
}

/** An ActivationError, so the CLI prints it as one line the admin acts on. */
export class FieldCreationScopeError extends ActivationError {
  constructor() {
    super(REACTIVATE_FOR_FIELDS);
  }
}

/**
 * Creates the fields one by one, so that one refusal (a duplicate label, the edition's field limit) does not stop the
 * others. A missing scope stops everything: every other field would be refused the same way.
 */
export async function createMissingFields(zoho: ZohoClient, fields: readonly FieldToCreate[], grantedScopes?: readonly string[]): Promise<FieldCreation[]> {
  if (lacksFieldCreationScope(grantedScopes)) throw new FieldCreationScopeError();
  const results: FieldCreation[] = [];
  for (const field of fields) {
    try {
      // The label is the API name too: the admin recognises it in Setup, and Zoho keeps labels unique as well.
      const id = await zoho.createTextField(field.module, { apiName: field.apiName, label: field.apiName });
      results.push({ ...field, outcome: { created: id } });
    } catch (error) {
      if (error instanceof ZohoAuthorizationError && error.reason === 'scope') throw new FieldCreationScopeError();
      if (!(error instanceof ZohoError)) throw error;
      results.push({ ...field, outcome: { refused: error.message } });
    }
  }
  return results;
}

export function describeFieldCreations(results: readonly FieldCreation[]): string {
  return results
    .map((r) => ('created' in r.outcome ? `Created ${r.module}.${r.apiName} (id ${r.outcome.created}).` : `Not created ${r.module}.${r.apiName}: ${r.outcome.refused}`))
    .map((line) => `${line}\n`)
    .join('');
}
