/**
 * Local dates and times in a named time zone (the Zoho account's, the telephony's), from instants given as ISO
 * strings, and back: a wall-clock reading in a zone to the instant it names. Tasks carry a DATE
 * (`Due_Date`), so "due in 3 hours" after a call at 22:30 in Kyiv is tomorrow there, whatever the server's zone.
 * `Intl.DateTimeFormat` is available in Temporal's workflow sandbox; `new Date()` without an argument is not used.
 */

export interface LocalTime {
  /** `yyyy-MM-dd` */
  date: string;
  /** `HH:mm` */
  time: string;
  /** ISO-8601 with the zone's offset, `yyyy-MM-ddTHH:mm:ss±HH:mm`, as Zoho DateTime fields expect. */
  isoWithOffset: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

const pad = (value: number): string => String(value).padStart(2, '0');

function toLocal(epochMs: number, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(epochMs))
      .map((part) => [part.type, part.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const clock = `${parts.hour}:${parts.minute}:${parts.second}`;
  // The wall-clock reading taken as UTC minus the instant is the zone's offset at that instant (DST included).
  const offsetMinutes = Math.round((Date.parse(`${date}T${clock}Z`) - Math.floor(epochMs / 1000) * 1000) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = `${sign}${pad(Math.floor(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  return { date, time: clock.slice(0, 5), isoWithOffset: `${date}T${clock}${offset}` };
}

function parseInstant(iso: string): number {
  const epochMs = Date.parse(iso);
  if (Number.isNaN(epochMs)) throw new RangeError(`Not an ISO-8601 time: '${iso}'`);
  return epochMs;
}

/** The local date and time of `iso` plus `minutes` in `timeZone`. */
export function localTimeAfter(iso: string, minutes: number, timeZone: string): LocalTime {
  return toLocal(parseInstant(iso) + minutes * 60_000, timeZone);
}

/** `yyyy-MM-ddTHH:mm:ss` with no offset: a wall-clock reading, meaningful only with a time zone. */
const HALF_DAY_MS = 43_200_000;
const WALL_CLOCK = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

export const isWallClock = (time: string): boolean => WALL_CLOCK.test(time);

/**
 * The instant (ISO-8601, UTC) a wall-clock reading `yyyy-MM-ddTHH:mm:ss` names in `timeZone`. In the hour a
 * summer-time change repeats, the earlier instant; in the hour it skips, the reading is taken with the offset
 * before the change, as a clock that was not put forward would show it.
 */
export function wallClockInstant(wallClock: string, timeZone: string): string {
  const asUtc = Date.parse(`${wallClock}Z`);
  if (!isWallClock(wallClock) || Number.isNaN(asUtc)) throw new RangeError(`Not a wall-clock time yyyy-MM-ddTHH:mm:ss: '${wallClock}'`);
  const offsetAt = (instant: number): number => Date.parse(`${toLocal(instant, timeZone).isoWithOffset.slice(0, 19)}Z`) - instant;
  // The zone's offset depends on the instant (summer time): the offsets half a day either side are the candidates.
  const [before, after] = [offsetAt(asUtc - HALF_DAY_MS), offsetAt(asUtc + HALF_DAY_MS)];
  const candidates = [asUtc - before, asUtc - after].filter((instant) => Date.parse(`${toLocal(instant, timeZone).isoWithOffset.slice(0, 19)}Z`) === asUtc);
  return new Date(candidates.length > 0 ? Math.min(...candidates) : asUtc - before).toISOString();
}

/** An ISO-8601 instant as is; a wall-clock reading (no offset) as the instant it names in `timeZone`. */
export function instantIn(time: string, timeZone: string): string {
  return isWallClock(time) ? wallClockInstant(time, timeZone) : new Date(parseInstant(time)).toISOString();
}
