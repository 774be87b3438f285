/**
 * Who was on the call for the company: the telephony reports a phone number, SIP login or extension; the settings
 * say which employee (and so which Zoho user) each belongs to.
 */
import type { EmployeeLeg } from '../common/call-event';
import { normalizePhone } from '../common/phone';
import type { Employee } from './settings-schema';

export type EmployeeResolution =
  | { kind: 'mapped'; employee: Employee }
  /** The telephony named a number/SIP/extension that belongs to no employee (M3); `identity` describes it. */
  | { kind: 'unmapped'; identity: string }
  /** The telephony did not say who was on the call. */
  | { kind: 'none' };

/** SIP identities compare case-insensitively, without the `sip:` scheme; a bare login matches `login@any.domain`. */
function sameSip(reported: string, configured: string): boolean {
  const clean = (sip: string): string => sip.trim().toLowerCase().replace(/^sips?:/, '');
  const a = clean(reported);
  const b = clean(configured);
  if (a === b) return true;
  const user = (sip: string): string => sip.split('@')[0];
  return (!a.includes('@') || !b.includes('@')) && user(a) === user(b);
}

function samePhone(reported: string, configured: string, defaultCountry: string): boolean {
  const a = normalizePhone(reported, defaultCountry);
  return a !== null && a === normalizePhone(configured, defaultCountry);
}

/**
 * Telephonies put whatever identifies the employee's device in whichever field they like (Ringostat's
 * `employee_number` holds a phone number or a SIP login), so every reported value is tried against every kind of
 * configured identifier.
 */
function owns(employee: Employee, value: string, defaultCountry: string): boolean {
  return (
    [...employee.sipLogins, ...employee.extraSipAccounts].some((sip) => sameSip(value, sip)) ||
    employee.extensions.some((extension) => extension.trim() === value.trim()) ||
    employee.phones.some((phone) => samePhone(value, phone, defaultCountry))
  );
}

function describeLeg(leg: EmployeeLeg): string {
  const parts = [
    leg.sipLogin && `SIP '${leg.sipLogin}'`,
    leg.extension && `extension ${leg.extension}`,
    leg.phone && `number ${leg.phone}`,
  ].filter(Boolean);
  return parts.join(', ') + (leg.name ? ` (${leg.name})` : '');
}

/**
 * The configured employee the leg belongs to. Names are shown, never matched: two people may share one.
 * When identifiers are (mis)configured on two employees, the first in the settings wins.
 */
export function resolveEmployee(
  leg: EmployeeLeg | undefined,
  employees: readonly Employee[],
  defaultCountry: string,
): EmployeeResolution {
  const values = [leg?.sipLogin, leg?.extension, leg?.phone].filter((value): value is string => !!value?.trim());
  if (!leg || values.length === 0) return { kind: 'none' };
  const employee = employees.find((candidate) => values.some((value) => owns(candidate, value, defaultCountry)));
  // An employee nobody mapped to a Zoho user yet (A2) is as good as unknown: the senior manager is told (M3).
  return employee?.zohoUserId ? { kind: 'mapped', employee } : { kind: 'unmapped', identity: describeLeg(leg) };
}
