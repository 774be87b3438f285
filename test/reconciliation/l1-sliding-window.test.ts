/** L1: the window each scheduled run checks, and the reconciliation settings that shape it. */
import { settingsSchema } from '../../matrix/settings-schema';
import { longCallSeconds, longCallSweep, slidingWindow } from '../../temporal/reconcile-calls';

const defaults = settingsSchema.parse({}).reconciliation;

it('L1: by default a run checks the calls that started 62 to 2 minutes before it, so consecutive runs overlap', () => {
  const run = new Date('2026-11-01T12:00:00Z');
  expect(slidingWindow(run, defaults)).toEqual({ from: new Date('2026-11-01T10:58:00Z'), to: new Date('2026-11-01T11:58:00Z') });
  const next = slidingWindow(new Date(run.getTime() + defaults.intervalMinutes * 60_000), defaults);
  expect(next.from.getTime()).toBeLessThan(slidingWindow(run, defaults).to.getTime());
});

it('L1: a window shorter than the interval is refused, naming the field', () => {
  const parsed = settingsSchema.safeParse({ reconciliation: { intervalMinutes: 10, windowMinutes: 5 } });
  expect(parsed.success).toBe(false);
  expect(parsed.error?.issues).toEqual([expect.objectContaining({ path: ['reconciliation', 'windowMinutes'], message: expect.stringContaining('intervalMinutes') })]);
  expect(settingsSchema.safeParse({ reconciliation: { timeZone: 'Mars/Olympus' } }).success).toBe(false);
});

it('L1: the first run of each hour also sweeps for calls up to 4 hours long that started before its window; the other runs do not', () => {
  expect(longCallSweep(new Date('2026-11-01T12:00:00Z'), defaults)).toEqual({ from: new Date('2026-11-01T05:58:00Z'), to: new Date('2026-11-01T10:58:00Z') });
  // A Schedule's run starts a moment after its time: still the hour's first run.
  expect(longCallSweep(new Date('2026-11-01T12:00:03Z'), defaults)).toBeDefined();
  expect(longCallSweep(new Date('2026-11-01T12:05:00Z'), defaults)).toBeUndefined();
  expect(longCallSweep(new Date('2026-11-01T12:55:00Z'), defaults)).toBeUndefined();
  // It checks only the calls too long for the sliding windows to have seen them ended.
  expect(longCallSeconds(defaults)).toBe(30 * 60);
  const parsed = settingsSchema.safeParse({ reconciliation: { intervalMinutes: 10, windowMinutes: 10, longCallSweepMinutes: 5 } });
  expect(parsed.error?.issues).toEqual([expect.objectContaining({ path: ['reconciliation', 'longCallSweepMinutes'] })]);
});
