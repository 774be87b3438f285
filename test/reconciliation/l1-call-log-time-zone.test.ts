/**
 * L1: the call log is read in the Ringostat project's time zone, one fact with one setting: `telephony.timeZone`,
 * which webhooks' `calldate` is read in too; `reconciliation.timeZone` only overrides it for the log. The window's
 * `from`/`to` are asked for, and the logged calls' times read, in that zone, as the worker and `backfill` open it.
 */
import { startRingostatEmulator, type RingostatEmulator } from '@callmatrix/ringostat-emulator';
import { configuredCallLog } from '../../app/call-log';
import { loadEnvironment } from '../../config/environment';
import { settingsSchema } from '../../matrix/settings-schema';

const KEY = 'test-ringostat-key';
/** 10:00–11:00 UTC: 12:00–13:00 in Kyiv (UTC+2 in November). */
const HOUR = { from: new Date('2026-11-01T10:00:00Z'), to: new Date('2026-11-01T11:00:00Z') };

let ringostat: RingostatEmulator;
beforeEach(async () => {
  ringostat = await startRingostatEmulator({ apiKey: KEY });
  ringostat.addCalls(
    ['2026-11-01 10:30:00', '2026-11-01 12:30:00'].map((calldate, i) => ({ uniqueid: `call.${i}`, calldate, call_type: 'in', caller: '+380671234567', disposition: 'ANSWERED', billsec: 42 })),
  );
});
afterEach(async () => ringostat.close());

async function readHour(settings: unknown) {
  const env = loadEnvironment({ RINGOSTAT_API_KEY: KEY, RINGOSTAT_API_URL: ringostat.url });
  const log = configuredCallLog(env, settingsSchema.parse(settings))!;
  const starts: (string | undefined)[] = [];
  for await (const page of log.pages(HOUR)) starts.push(...page.calls.map((call) => (call.ok ? call.event.startedAt : undefined)));
  return { asked: ringostat.requests().map(({ from, to }) => ({ from, to })), starts };
}

it('L1: with telephony.timeZone set, the log is asked for and read in it', async () => {
  expect(await readHour({ telephony: { timeZone: 'Europe/Kyiv' } })).toEqual({
    asked: [{ from: '2026-11-01 12:00:00', to: '2026-11-01 12:59:59' }],
    starts: ['2026-11-01T10:30:00.000Z'],
  });
});

it('L1: reconciliation.timeZone overrides telephony.timeZone for the log', async () => {
  const { asked } = await readHour({ telephony: { timeZone: 'UTC' }, reconciliation: { timeZone: 'Europe/Kyiv' } });
  expect(asked).toEqual([{ from: '2026-11-01 12:00:00', to: '2026-11-01 12:59:59' }]);
});

it('L1: with neither set, the window is asked for in UTC and call times are read like a webhook’s, in the CRM’s zone later', async () => {
  expect(await readHour({})).toEqual({ asked: [{ from: '2026-11-01 10:00:00', to: '2026-11-01 10:59:59' }], starts: ['2026-11-01T10:30:00'] });
});
