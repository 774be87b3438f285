/** What the workflow (and the dry run) asks Zoho about a caller before the matrix decides. */
import type { Settings } from './settings-schema';
import { leaveAlone } from './guards';
import type { CallStartFacts, ClientLookupQuery } from './input';
import { madeForCallSince } from './update-existing';
import { answeredCallsSince, openTasksSince } from './callback-closure';

/**
 * The caller lookup a call needs (M17), or undefined when the matrix leaves the call alone and no request is
 * worth spending. Only update-existing mode (O2) asks for the tasks another integration made for the call.
 */
export function callerLookupQuery(call: CallStartFacts, settings: Settings): ClientLookupQuery | undefined {
  if (call.clientPhone === null || leaveAlone(call, settings)) return undefined;
  return {
    clientPhone: call.clientPhone,
    defaultCountry: settings.telephony.defaultCountry,
    tasksOfRecordsSince: settings.matrix.mode === 'update-existing' ? madeForCallSince(call.startedAt) : undefined,
    openTasksSince: openTasksSince(call, settings),
    answeredCallsSince: answeredCallsSince(call, settings),
  };
}
