/**
 * OAuth scope arithmetic, shared by the client (which bundles requests only when the grant allows composite
 * requests) and the activation (which checks a grant has everything the integration uses).
 */

/** Bundling requests (Composite API) needs this scope besides each bundled request's own. */
export const COMPOSITE_SCOPE = 'ZohoCRM.composite_requests.CUSTOM';

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

export function missingScopes(granted: readonly string[], required: readonly string[]): string[] {
  return required.filter((scope) => !granted.some((g) => includes(g, scope)));
}
