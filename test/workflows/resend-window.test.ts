import { resendWindowStart } from '../../workflows/resend-window';

describe('R2: resend window', () => {
  it('is today and the 2 days before, from local midnight in the account time zone', () => {
    // 01:30 in Kyiv on 25 November is still 24 November in UTC.
    expect(resendWindowStart('2026-11-24T23:30:00Z', 3, 'Europe/Kyiv')).toBe('2026-11-22T22:00:00.000Z');
    expect(resendWindowStart('2026-11-24T23:30:00Z', 3, 'UTC')).toBe('2026-11-22T00:00:00.000Z');
  });

  it('counts calendar days across a DST change', () => {
    // Kyiv leaves summer time on 25 October 2026: midnight of the 24th is at +03:00, of the 26th at +02:00.
    expect(resendWindowStart('2026-10-26T10:00:00Z', 3, 'Europe/Kyiv')).toBe('2026-10-23T21:00:00.000Z');
    expect(resendWindowStart('2026-10-26T10:00:00Z', 1, 'Europe/Kyiv')).toBe('2026-10-25T22:00:00.000Z');
  });

  it('a configurable length', () => {
    expect(resendWindowStart('2026-11-25T12:00:00Z', 7, 'UTC')).toBe('2026-11-19T00:00:00.000Z');
  });
});
