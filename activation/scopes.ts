import { COMPOSITE_SCOPE, missingScopes as missingFrom } from '../zoho/scopes';

export { parseScopes } from '../zoho/scopes';

/**
 * The OAuth scopes callmatrix asks for at activation, and the check that a token has what the integration uses
 * (reference §1.4): records of the call modules, search (which needs its own ZohoSearch scope), COQL, users, org
 * and the metadata the matrix reads.
 */
export const REQUIRED_SCOPES = [
  'ZohoCRM.modules.leads.ALL',
  'ZohoCRM.modules.contacts.ALL',
  'ZohoCRM.modules.deals.ALL',
  'ZohoCRM.modules.tasks.ALL',
  'ZohoCRM.modules.calls.ALL',
  'ZohoCRM.modules.notes.ALL',
  'ZohoSearch.securesearch.READ',
  'ZohoCRM.coql.READ',
  'ZohoCRM.users.READ',
  'ZohoCRM.org.READ',
  'ZohoCRM.settings.fields.READ',
  'ZohoCRM.settings.layouts.READ',
  'ZohoCRM.settings.pipeline.READ',
] as const;

/**
 * Creating the missing String fields (A4, `doctor --fix`). Asked for at activation but not required: calls are
 * written without it, and an activation made before callmatrix asked for it still works; `doctor --fix` names it.
 */
export const FIELD_CREATION_SCOPE = 'ZohoCRM.settings.fields.CREATE';

/**
 * Scopes the integration works without but uses when granted: composite requests bundle the caller lookup into one
 * request and a call's writes into another (issue 15). An activation from before they were asked for keeps working with separate requests.
 */
export const OPTIONAL_SCOPES = [COMPOSITE_SCOPE] as const;

/** What the authorisation page requests: the required and optional scopes, modules.ALL standing for the six modules. */
export const REQUESTED_SCOPES = ['ZohoCRM.modules.ALL', ...REQUIRED_SCOPES.filter((s) => !s.startsWith('ZohoCRM.modules.')), ...OPTIONAL_SCOPES, FIELD_CREATION_SCOPE].join(',');

export function missingScopes(granted: readonly string[], required: readonly string[] = REQUIRED_SCOPES): string[] {
  return missingFrom(granted, required);
}
