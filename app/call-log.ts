/**
 * The telephony's call log as the environment configures it (L1): the worker's reconciliation and
 * `callmatrix backfill` open it here, so both read the same log the same way (in the zone `callLogTimeZone` picks).
 * The API key stays inside it.
 */
import type { Environment } from '../config/environment';
import type { CallLog } from '../telephony/provider';
import { ringostatAdapter } from '../telephony/ringostat';

/** Undefined without RINGOSTAT_API_KEY: reconciliation is then off. */
export function configuredCallLog(env: Environment): CallLog | undefined {
  if (!env.RINGOSTAT_API_KEY) return undefined;
  return ringostatAdapter.openCallLog!({ apiUrl: env.RINGOSTAT_API_URL, apiKey: env.RINGOSTAT_API_KEY });
}
