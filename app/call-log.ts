/**
 * The telephony's call log as the environment and settings configure it (L1): the worker's reconciliation and
 * `callmatrix backfill` open it here, so both read the same log the same way. The API key stays inside it.
 */
import type { Environment } from '../config/environment';
import type { Settings } from '../matrix/settings-schema';
import type { CallLog } from '../telephony/provider';
import { ringostatAdapter } from '../telephony/ringostat';

/** Undefined without RINGOSTAT_API_KEY: reconciliation is then off. */
export function configuredCallLog(env: Environment, settings: Settings): CallLog | undefined {
  if (!env.RINGOSTAT_API_KEY) return undefined;
  return ringostatAdapter.openCallLog!({
    apiUrl: env.RINGOSTAT_API_URL,
    apiKey: env.RINGOSTAT_API_KEY,
    // One fact, one setting: the project's zone is telephony.timeZone; reconciliation.timeZone only overrides it.
    timeZone: settings.reconciliation.timeZone ?? settings.telephony.timeZone,
  });
}
