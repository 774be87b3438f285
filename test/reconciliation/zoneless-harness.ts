/**
 * L1 tests of the CRM account's zone: a harness whose worker reconciles with a Ringostat emulator (the call log as
 * the worker opens it from RINGOSTAT_API_KEY and RINGOSTAT_API_URL), with the demo settings, which set no zone. The
 * tests run reconciliation themselves: the Schedule is paused.
 */
import { startRingostatEmulator, type RingostatEmulator } from '@callmatrix/ringostat-emulator';
import { configuredCallLog } from '../../app/call-log';
import { loadEnvironment } from '../../config/environment';
import { reconciliationScheduleId } from '../../temporal/contracts';
import { demoSettings, startCallHarness, type CallHarness } from '../support/call-harness';

export async function startZonelessHarness(apiKey: string): Promise<{ ringostat: RingostatEmulator; h: CallHarness }> {
  const ringostat = await startRingostatEmulator({ apiKey });
  const callLog = configuredCallLog(loadEnvironment({ RINGOSTAT_API_KEY: apiKey, RINGOSTAT_API_URL: ringostat.url }))!;
  const h = await startCallHarness({ callLog, reconciliationOnDemand: true });
  const settings = demoSettings(h.users);
  expect([settings.telephony.timeZone, settings.reconciliation.timeZone]).toEqual([undefined, undefined]);
  h.setSettings(settings);
  return { ringostat, h };
}

export async function stopZonelessHarness(started: { ringostat?: RingostatEmulator; h?: CallHarness }): Promise<void> {
  await started.h?.temporal.schedule.getHandle(reconciliationScheduleId(started.h.taskQueue)).delete().catch(() => undefined);
  await started.h?.stop();
  await started.ringostat?.close();
}
