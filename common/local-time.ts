/**
 * Local dates and times in the Zoho account's time zone, from instants given as ISO strings. Tasks carry a DATE
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
