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

const cleanSip = (sip: string): string => sip.trim().toLowerCase().replace(/^sips?:/, '');

/** SIP identities compare case-insensitively, without the `sip:` scheme; a bare login matches `login@any.domain`. */
function sameSip(reported: string, configured: string): boolean {
  const a = cleanSip(reported);
  const b = cleanSip(configured);
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

/**
 * The employees as a call may use them. One whose Zoho user is no longer active (deactivated, its lines not yet given
 * to anyone in the settings) can own nothing — Zoho refuses such an Owner, and with it the call — so it counts as
 * mapped to no user: its calls are M3's, and it takes no missed-call turn (O4). `activeUserIds` absent (a call
 * recorded before they were read): the employees as configured.
 */
export function employeesWhoCanOwn(employees: readonly Employee[], activeUserIds: readonly string[] | undefined): readonly Employee[] {
  if (!activeUserIds) return employees;
  return employees.map((employee) =>
    employee.zohoUserId && !activeUserIds.includes(employee.zohoUserId) ? { ...employee, zohoUserId: undefined, missedCallDistribution: false } : employee,
  );
}

export interface EmployeeConflict {
  /** Where in the settings, e.g. ['employees', 1, 'extensions', 0]. */
  path: (string | number)[];
  message: string;
}

/**
 * Codes and identifiers that two employees claim (A2): a call on such a line would be given to whichever comes
 * first, silently. Identifiers compare as calls are matched: SIP case-insensitively, phones once normalised.
 */
export function employeeConflicts(employees: readonly (Employee | undefined)[], defaultCountry: string): EmployeeConflict[] {
  const kinds = [
    { label: 'code', key: (e: Employee) => [{ field: 'code', index: undefined, value: e.code.trim() }] },
    ...(['extensions', 'sipLogins', 'extraSipAccounts', 'phones'] as const).map((field) => ({
      label: field === 'phones' ? 'phone' : field === 'extensions' ? 'extension' : 'SIP login',
      key: (e: Employee) =>
        e[field].map((raw, index) => ({
          field,
          index,
          value: field === 'phones' ? (normalizePhone(raw, defaultCountry) ?? raw.trim()) : field === 'extensions' ? raw.trim() : cleanSip(raw),
        })),
    })),
  ];
  const conflicts: EmployeeConflict[] = [];
  const claimed = new Map<string, { employee: number; code: string }>();
  employees.forEach((employee, position) => {
    // An employee the schema rejects (undefined) is reported by the schema; the others are still compared.
    if (!employee) return;
    for (const kind of kinds) {
      for (const { field, index, value } of kind.key(employee)) {
        // SIP logins and extra SIP accounts share one namespace; the label keeps code, extension, SIP and phone apart.
        const id = `${kind.label}:${value}`;
        const first = claimed.get(id);
        if (!first) {
          claimed.set(id, { employee: position, code: employee.code });
          continue;
        }
        if (first.employee === position) continue;
        conflicts.push({
          path: ['employees', position, field, ...(index === undefined ? [] : [index])],
          message:
            kind.label === 'code'
              ? `employee code ${value} is used twice (employees[${first.employee}] and employees[${position}]); each employee needs its own code`
              : `${kind.label} ${value} is claimed by employee ${first.code} (employees[${first.employee}]) and employee ${employee.code}; calls on it would all go to ${first.code}`,
        });
      }
    }
  });
  return conflicts;
}

/**
 * Employees' phone numbers that read as no number (A2): calls from or to them would never match the employee, and
 * fall to the unmapped-employee rule (M3) without a word.
 */
export function unreadableEmployeePhones(employees: readonly (Employee | undefined)[], defaultCountry: string): EmployeeConflict[] {
  return employees.flatMap((employee, position) =>
    (employee?.phones ?? []).flatMap((raw, index) =>
      normalizePhone(raw, defaultCountry) === null
        ? [{ path: ['employees', position, 'phones', index], message: `${JSON.stringify(raw)} is not a phone number: write it with its country code (+380…) or as a number of telephony.defaultCountry (${defaultCountry})` }]
        : [],
    ),
  );
}
