import { explainPlan, planCall } from '../../matrix';
import { localTimeAfter } from '../../common/local-time';
import { input } from './fixtures';

describe('explainPlan (dry run)', () => {
  it('M1: says which rule applied and what would be written, step by step', () => {
    const lines = explainPlan(planCall(input()));
    expect(lines[0]).toBe('Scenario answered-new-client, rule M1: 2 operation(s).');
    expect(lines[1]).toBe('M1: incoming, answered call, +380981234567 is a new client — scenario answered-new-client.');
    expect(lines).toContain(
      '1. [M1] create Leads (step \'lead\'); owner zu-maria; Last_Name="Call from +380 98 123 4567"; Phone="+380981234567"; ' +
        'also Lead_Source, Description, rs_utm_source, rs_utm_medium, rs_utm_campaign, rs_google_client_id',
    );
    expect(lines).toContain(
      '2. [M2] create Tasks (step \'task-call\'); owner zu-maria; Subject="Call from +380981234567: answered (2:05)"; ' +
        'Status="Completed"; Due_Date="2025-01-15"; What_Id → the record of step \'lead\'; also Description, $se_module',
    );
  });
});

describe('local time in the account time zone', () => {
  it('M7: due times follow daylight saving time', () => {
    // 2025-03-30 is the spring-forward night in Kyiv: 02:00 UTC = 05:00 EEST (+03:00).
    expect(localTimeAfter('2025-03-29T23:30:00Z', 180, 'Europe/Kyiv')).toEqual({ date: '2025-03-30', time: '05:30', isoWithOffset: '2025-03-30T05:30:00+03:00' });
    expect(localTimeAfter('2025-01-15T12:00:00Z', 0, 'America/New_York').isoWithOffset).toBe('2025-01-15T07:00:00-05:00');
    expect(localTimeAfter('2025-01-15T12:00:00Z', 0, 'Asia/Kolkata').isoWithOffset).toBe('2025-01-15T17:30:00+05:30');
  });

  it('M7: a time that is not ISO-8601 is an error, not a silent "Invalid Date"', () => {
    expect(() => localTimeAfter('yesterday', 0, 'Europe/Kyiv')).toThrow(RangeError);
  });
});
