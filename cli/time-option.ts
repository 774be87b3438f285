/**
 * The one way a command reads a time it is given (`backfill --from/--to`, `calls --since/--until`): ISO 8601, or
 * `YYYY-MM-DD[ HH:MM[:SS]]` in UTC, as the listings print times. Never in the machine's own zone (`TZ`), which
 * `new Date("2026-11-30 06:00")` would use while reading `2026-11-30` in UTC.
 */
import { InvalidArgumentError } from 'commander';
import { isTimeZone } from '../matrix/settings-schema';

/** A value that is neither form is a usage mistake, refused naming its option (commander adds it). */
export function parseTime(value: string): Date {
  const iso = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/.test(value) ? `${value.replace(' ', 'T')}${value.length > 10 ? '' : 'T00:00'}Z` : value;
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) throw new InvalidArgumentError('expected a time such as 2026-11-01, "2026-11-01 08:30" (UTC) or 2026-11-01T08:30:00+02:00');
  return time;
}

/** An IANA zone name (`dry-run --time-zone`), refused like the settings file's zones, naming its option. */
export function parseTimeZone(value: string): string {
  if (!isTimeZone(value)) throw new InvalidArgumentError('expected an IANA time zone such as Europe/Kyiv');
  return value;
}
