/**
 * OAuth scope matching. A granted scope covers a required one when it is the same scope, or when its service/area
 * prefix is a prefix of the required one and its operation is `ALL` or the same operation
 * (`ZohoCRM.modules.ALL` ⊇ `ZohoCRM.modules.leads.READ`, `ZohoCRM.settings.READ` ⊇ `ZohoCRM.settings.fields.READ`).
 * `WRITE` stands for create + update, as in Zoho's scope list.
 */
export function parseScopes(scope: string): string[] {
  return scope
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function covers(granted: string, required: string): boolean {
  const g = granted.toLowerCase().split('.');
  const r = required.toLowerCase().split('.');
  const gOp = g.pop();
  const rOp = r.pop();
  if (g.length > r.length || g.some((segment, i) => segment !== r[i])) return false;
  return gOp === 'all' || gOp === rOp || (gOp === 'write' && (rOp === 'create' || rOp === 'update'));
}

export function hasScopes(granted: readonly string[], required: readonly string[]): boolean {
  return required.every((r) => granted.some((g) => covers(g, r)));
}
