/**
 * Whether reconciliation with the telephony's call log (L1) runs, and why not. One decision, read by the worker's
 * Schedule (paused, the reason as its note) and by the doctor (which reports it, read back from the Schedule when
 * Temporal answers), so the two never disagree.
 */
import type { Settings } from '../matrix/settings-schema';

/** `disabled`: the admin switched it off in the settings; `no-api-key`: it is on, but the call log cannot be read. */
export type ReconciliationOff = 'disabled' | 'no-api-key';

export const RECONCILIATION_OFF_REASON: Record<ReconciliationOff, string> = {
  disabled: 'reconciliation.enabled is false in the settings',
  'no-api-key': 'RINGOSTAT_API_KEY is not set on the worker',
};

/** `callLogConfigured`: the worker can read the call log (an API key is configured, `configuredCallLog`). */
export function reconciliationOff(settings: Pick<Settings['reconciliation'], 'enabled'>, callLogConfigured: boolean): ReconciliationOff | undefined {
  if (!settings.enabled) return 'disabled';
  return callLogConfigured ? undefined : 'no-api-key';
}

/** The paused Schedule's note: the doctor reads the reason back from it (`offFromScheduleNote`), wherever it runs. */
export const scheduleOffNote = (off: ReconciliationOff): string => `off: ${RECONCILIATION_OFF_REASON[off]}`;

/** Why a worker paused the Schedule; undefined for a note no worker writes (someone paused it by hand). */
export function offFromScheduleNote(note: string): ReconciliationOff | undefined {
  return (Object.keys(RECONCILIATION_OFF_REASON) as ReconciliationOff[]).find((off) => scheduleOffNote(off) === note);
}
