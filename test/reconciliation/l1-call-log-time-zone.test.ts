/**
 * L1: the call log is read in the Ringostat project's time zone, one fact with one setting: `telephony.timeZone`,
 * which webhooks' `calldate` is read in too; `reconciliation.timeZone` only overrides it for the log; with neither
 * set, the CRM account's zone, as for webhooks (never UTC by default). The window's `from`/`to` are asked for, and
 * the logged calls' times read, in that zone, as the worker and `backfill` open and read it. End to end, with the
 * zone read from the Zoho emulator's org: l1-crm-time-zone.test.ts.
 */
import { startRingostatEmulator, type RingostatEmulator } from '@callmatrix/ringostat-emulator';
import { configuredCallLog } from '../../app/call-log';
import { loadEnvironment } from '../../config/environment';
import { settingsSchema } from '../../matrix/settings-schema';
import { callLogTimeZone, CrmTimeZoneUnknown } from '../../temporal/reconcile-calls';

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

/** The CRM account's zone as Zoho's org names it (the emulator's org is in Kyiv). */
const kyivCrm = () => Promise.resolve('Europe/Kyiv');

async function readHour(settings: unknown, crmTimeZone: () => Promise<string> = kyivCrm) {
  const env = loadEnvironment({ RINGOSTAT_API_KEY: KEY, RINGOSTAT_API_URL: ringostat.url });
  const log = configuredCallLog(env)!;
  const timeZone = await callLogTimeZone(settingsSchema.parse(settings), crmTimeZone);
  const starts: (string | undefined)[] = [];
  for await (const page of log.pages(HOUR, timeZone)) starts.push(...page.calls.map((call) => (call.ok ? call.event.startedAt : undefined)));
  return { asked: ringostat.requests().map(({ from, to }) => ({ from, to })), starts };
}

it('L1: with telephony.timeZone set, the log is asked for and read in it, whatever the CRM account’s zone', async () => {
  expect(await readHour({ telephony: { timeZone: 'Europe/Kyiv' } }, () => Promise.resolve('America/New_York'))).toEqual({
    asked: [{ from: '2026-11-01 12:00:00', to: '2026-11-01 12:59:59' }],
    starts: ['2026-11-01T10:30:00.000Z'],
  });
});

it('L1: reconciliation.timeZone overrides telephony.timeZone for the log', async () => {
  const { asked } = await readHour({ telephony: { timeZone: 'UTC' }, reconciliation: { timeZone: 'Europe/Kyiv' } }, () => Promise.resolve('UTC'));
  expect(asked).toEqual([{ from: '2026-11-01 12:00:00', to: '2026-11-01 12:59:59' }]);
});

it('L1: with neither set, the log is asked for and read in the CRM account’s zone, as webhooks’ calldate is', async () => {
  expect(await readHour({})).toEqual({ asked: [{ from: '2026-11-01 12:00:00', to: '2026-11-01 12:59:59' }], starts: ['2026-11-01T10:30:00.000Z'] });
});

it('L1: with neither set and the CRM account’s zone unreadable, the read fails saying so, asks nothing and never falls back to UTC', async () => {
  const unreachable = () => Promise.reject(new Error('Zoho CRM: connection refused'));
  const failed = readHour({}, unreachable);
  await expect(failed).rejects.toThrow(CrmTimeZoneUnknown);
  await expect(failed).rejects.toThrow(/neither reconciliation\.timeZone nor telephony\.timeZone is set.*connection refused.*set telephony\.timeZone/);
  expect(ringostat.requests()).toEqual([]);
});
