import { planCall, resolveEmployee } from '../../matrix';
import { EMPLOYEES, MARIA, OKSANA, SENIOR, TARAS, input, keys, op, settings } from './fixtures';

const employees = settings().employees;
const resolve = (leg: Parameters<typeof resolveEmployee>[0]) => resolveEmployee(leg, employees, 'UA');
const codeOf = (leg: Parameters<typeof resolveEmployee>[0]) => {
  const result = resolve(leg);
  return result.kind === 'mapped' ? result.employee.code : result.kind;
};

describe('resolveEmployee (M1, M3)', () => {
  it.each([
    [{ sipLogin: 'maria' }, '101'],
    [{ sipLogin: 'MARIA' }, '101'],
    [{ extension: '102' }, '102'],
    [{ phone: '0671110001' }, '101'],
    [{ phone: '+38 067 111 00 03' }, '103'],
    [{ sipLogin: 'taras@pbx.example.com' }, '102'],
    [{ sipLogin: 'sip:taras@pbx.example.com' }, '102'],
    // Ringostat's employee_number may hold a SIP login: every value is tried against every identifier.
    [{ phone: 'oksana' }, '103'],
  ])('M1: %j is employee %s', (leg, code) => {
    expect(codeOf(leg)).toBe(code);
  });

  it('M3: a number or SIP that belongs to nobody is unmapped, described for the admin', () => {
    expect(resolve({ sipLogin: 'reception', phone: '+380501112233', name: 'Front desk' })).toEqual({
      kind: 'unmapped',
      identity: "SIP 'reception', number +380501112233 (Front desk)",
    });
  });

  it('M3: a name alone identifies nobody', () => {
    expect(resolve({ name: 'Maria Shevchenko' })).toEqual({ kind: 'none' });
    expect(resolve(undefined)).toEqual({ kind: 'none' });
    expect(resolve({ sipLogin: '  ' })).toEqual({ kind: 'none' });
  });

  it('M1: a SIP login on another domain is another account', () => {
    const result = resolveEmployee({ sipLogin: 'taras@other.example.com' }, [{ ...employees[1], sipLogins: [] }], 'UA');
    expect(result.kind).toBe('unmapped');
  });

  it('M1: when two employees claim one number, the first in the settings wins', () => {
    const shared = settings({ employees: [{ ...EMPLOYEES[2], phones: ['+380671110001'] }, EMPLOYEES[0]] }).employees;
    const result = resolveEmployee({ phone: '+380671110001' }, shared, 'UA');
    expect(result.kind === 'mapped' && result.employee.code).toBe('103');
  });
});

it("M3: an employee whose Zoho user is no longer active answers → the call is unmapped's: the lead and the check-settings task on the senior manager, and the plan says why", () => {
  const plan = planCall(input({ activeUserIds: [SENIOR, TARAS, OKSANA] }));
  expect(plan.rule).toBe('M3');
  expect(keys(plan)).toEqual(['lead', 'task-check-settings']);
  expect(op(plan, 'lead').fields).toMatchObject({ Owner: { id: SENIOR } });
  expect(op(plan, 'task-check-settings').fields).toMatchObject({ Owner: { id: SENIOR } });
  expect(plan.explanation.join('\n')).toContain(`M3: Maria Shevchenko's Zoho user (${MARIA}) is not an active user`);
  expect(planCall(input()).rule).toBe('M1');
});
