/**
 * The resend window (R2): after re-activation, calls from today and the days before it (3 days by default,
 * counted in the CRM account's time zone) are written; older ones are listed as expired.
 */
import { localTimeAfter, wallClockInstant } from '../common/local-time';

const DAY_MS = 86_400_000;

/** Start of the window: local midnight `days - 1` calendar days before the local date of `nowIso`. */
export function resendWindowStart(nowIso: string, days: number, timeZone: string): string {
  const today = localTimeAfter(nowIso, 0, timeZone).date;
  const first = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  return wallClockInstant(`${first}T00:00:00`, timeZone);
}
