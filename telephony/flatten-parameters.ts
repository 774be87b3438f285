/**
 * Telephonies let the admin pick the method (GET/POST), the format (JSON or form) and the parameter names, and
 * Ringostat's Webhooks 2.0 nests call data under `additional_call_data`. This turns any of those requests into
 * one flat map of strings under the product's parameter names.
 */
import { parseBoundedJson } from '../common/bounded-json';

/** Parameters of the shim itself, never call data. */
const SHIM_PARAMETERS = new Set(['secret', 'event']);
const NESTED_CALL_DATA = 'additional_call_data';

function scalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(scalar).filter((v) => v !== undefined).join(',');
  return undefined;
}

function addAll(target: Record<string, string>, source: unknown, overwrite: boolean) {
  if (!source || typeof source !== 'object' || Array.isArray(source)) return;
  for (const [key, value] of Object.entries(source)) {
    if (SHIM_PARAMETERS.has(key) || key === NESTED_CALL_DATA) continue;
    const text = scalar(value);
    if (text !== undefined && (overwrite || !(key in target))) target[key] = text;
  }
}

/**
 * Merges query, body and the body's nested call data (root wins over nested, body over query), then renames the
 * telephony's names to the product's: `renames` maps product name → name used by the sender.
 */
export function flattenParameters(query: unknown, body: unknown, renames: Record<string, string>): Record<string, string> {
  const merged: Record<string, string> = {};
  addAll(merged, query, true);
  addAll(merged, body, true);
  if (body && typeof body === 'object') {
    const nested = (body as Record<string, unknown>)[NESTED_CALL_DATA];
    addAll(merged, typeof nested === 'string' ? safeJson(nested) : nested, false);
  }
  for (const [productName, senderName] of Object.entries(renames)) {
    if (senderName in merged) {
      merged[productName] = merged[senderName];
      if (senderName !== productName) delete merged[senderName];
    }
  }
  return merged;
}

/** Nested call data that is not JSON within the limits is left out, as if it were absent. */
function safeJson(text: string): unknown {
  const parsed = parseBoundedJson(text);
  return parsed.ok ? parsed.value : undefined;
}
