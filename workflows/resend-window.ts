/**
 * The resend window (R2): after re-activation, calls from today and the days before it (3 days by default,
 * counted in the CRM account's time zone) are written; older ones are listed as expired.
 */
import { localTimeAfter } from '../common/local-time';

const DAY_MS = 86_400_000;

/** The instant local midnight of `date` (`yyyy-MM-dd`) falls on in `timeZone`. */
function localMidnight(date: string, timeZone: string): number {
  const wallClockAsUtc = Date.parse(`${date}T00:00:00Z`);
  let instant = wallClockAsUtc;
  // The zone's offset depends on the instant (DST): two rounds settle it.
  for (let round = 0; round < 2; round += 1) {
    const local = localTimeAfter(new Date(instant).toISOString(), 0, timeZone);
    const offsetMs = Date.parse(`${local.isoWithOffset.slice(0, 19)}Z`) - instant;
    instant = wallClockAsUtc - offsetMs;
  }
  return instant;
}

/** Start of the window: local midnight `days - 1` calendar days before the local date of `nowIso`. */
export function resendWindowStart(nowIso: string, days: number, timeZone: string): string {
  const today = localTimeAfter(nowIso, 0, timeZone).date;
  const first = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  return new Date(localMidnight(first, timeZone)).toISOString();
}
