/**
 * Date and time formats of the CRM API: DateTime is ISO-8601 with an explicit offset and no fractions
 * (`2024-05-01T12:00:00+03:00`), Date is `yyyy-MM-dd`. Zoho renders system times in the org's time zone.
 */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isZohoDateTime(value: string): boolean {
  return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

export function isZohoDate(value: string): boolean {
  return DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** Swedish writes dates as `yyyy-MM-dd` and times as `HH:mm:ss`; `longOffset` names the zone as `GMT+03:00`. */
const SWEDISH_WITH_OFFSET: Intl.DateTimeFormatOptions = {
  year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset',
};
const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  const format = formats.get(timeZone) ?? new Intl.DateTimeFormat('sv-SE', { ...SWEDISH_WITH_OFFSET, timeZone });
  formats.set(timeZone, format);
  return format;
}

/** A system time as Zoho renders it: in the org's time zone, with its offset, without fractions. */
export function formatZohoDateTime(epochMs: number, timeZone: string): string {
  const parts = Object.fromEntries(formatIn(timeZone).formatToParts(new Date(epochMs)).map((part) => [part.type, part.value]));
  // `GMT` alone is UTC itself; Swedish writes a negative offset with U+2212 MINUS SIGN.
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName.slice(3).replace('\u2212', '-');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}
