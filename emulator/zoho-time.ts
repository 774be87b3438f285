/**
 * Date and time formats of the CRM API: DateTime is ISO-8601 with an explicit offset and no fractions
 * (`2024-05-01T12:00:00+03:00`), Date is `yyyy-MM-dd`. Zoho renders system times in the org's time zone.
 */
import { localTimeAfter } from '../common/local-time';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isZohoDateTime(value: string): boolean {
  return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

export function isZohoDate(value: string): boolean {
  return DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** A system time as Zoho renders it: in the org's time zone, with its offset, without fractions. */
export function formatZohoDateTime(epochMs: number, timeZone: string): string {
  return localTimeAfter(new Date(epochMs).toISOString(), 0, timeZone).isoWithOffset;
}
