/** L1: the window each scheduled run checks, and the reconciliation settings that shape it. */
import { settingsSchema } from '../../matrix/settings-schema';
import { slidingWindow } from '../../temporal/reconcile-calls';

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
