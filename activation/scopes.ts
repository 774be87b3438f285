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

/** What the authorisation page requests: the required scopes, with modules.ALL standing for the six modules. */
export const REQUESTED_SCOPES = ['ZohoCRM.modules.ALL', ...REQUIRED_SCOPES.filter((s) => !s.startsWith('ZohoCRM.modules.')), FIELD_CREATION_SCOPE].join(',');

/** Zoho separates granted scopes with commas or spaces, depending on the endpoint. */
export function parseScopes(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/**
 * Whether a granted scope includes a required one. Scopes read `Service.area[.sub…].OPERATION`; a grant covers
 * every scope under its area path with the same operation, or any operation when it is ALL. WRITE includes CREATE
 * and UPDATE, as in Zoho's scope list.
 */
function includes(granted: string, required: string): boolean {
  const [grantedOperation, ...grantedArea] = granted.toLowerCase().split('.').reverse();
  const [requiredOperation, ...requiredArea] = required.toLowerCase().split('.').reverse();
  const grantedPath = grantedArea.reverse();
  const requiredPath = requiredArea.reverse();
  const underArea = grantedPath.length <= requiredPath.length && grantedPath.every((part, i) => part === requiredPath[i]);
  const operationCovered =
    grantedOperation === 'all' || grantedOperation === requiredOperation || (grantedOperation === 'write' && ['create', 'update'].includes(requiredOperation));
  return underArea && operationCovered;
}

export function missingScopes(granted: readonly string[], required: readonly string[] = REQUIRED_SCOPES): string[] {
  return required.filter((scope) => !granted.some((g) => includes(g, scope)));
}
