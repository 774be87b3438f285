/**
 * Folds the events of one call into the facts the matrix decides on. Telephonies send one webhook per moment and
 * may re-send them; the first event of each moment counts.
 */
import type { CallEvent } from '../common/call-event';
import { instantIn } from '../common/local-time';
import { normalizePhone, type DigitsReading } from '../common/phone';
import type { CallFacts, CallStartFacts } from './input';

const firstDefined = <T>(events: CallEvent[], pick: (e: CallEvent) => T | undefined): T | undefined => {
  for (const event of events) {
    const value = pick(event);
    if (value !== undefined) return value;
  }
  return undefined;
};

/** Events in call order: start, answer, end (arrival order breaks ties). */
function inCallOrder(events: CallEvent[]): CallEvent[] {
  const rank = { start: 0, answer: 1, end: 2 } as const;
  return [...events].sort((a, b) => rank[a.moment] - rank[b.moment]);
}

/**
 * When the call started, as the telephony says (a wall-clock time read in `timeZone`, the CRM's), else when its
 * first event arrived: the resend window's measure.
 */
export function callStartTime(events: CallEvent[], timeZone: string): string {
  const ordered = inCallOrder(events);
  const reported = firstDefined(ordered, (e) => e.startedAt);
  return reported ? instantIn(reported, timeZone) : ordered[0].receivedAt;
}

export function summarizeCallStart(events: CallEvent[], defaultCountry: string, timeZone: string, reading?: DigitsReading): CallStartFacts {
  const ordered = inCallOrder(events);
  const first = ordered[0];
  const clientNumberRaw = firstDefined(ordered, (e) => e.clientNumber);
  return {
    provider: first.provider,
    callId: first.callId,
    direction: firstDefined(ordered, (e) => e.direction) ?? 'incoming',
    startedAt: callStartTime(ordered, timeZone),
    clientNumberRaw,
    clientPhone: clientNumberRaw ? normalizePhone(clientNumberRaw, defaultCountry, reading) : null,
    companyNumber: firstDefined(ordered, (e) => e.companyNumber),
    // Later events carry the fullest visit data and parameters; earlier values fill what they lack.
    visit: Object.assign({}, ...ordered.map((e) => e.visit)),
    parameters: Object.assign({}, ...ordered.map((e) => e.parameters)),
  };
}

/**
 * The whole call. Without an end event (the telephony never sent it), an answer event means the call was
 * answered, else it counts as missed: a manager still hears of it.
 */
export function summarizeCall(events: CallEvent[], defaultCountry: string, timeZone: string, reading?: DigitsReading): CallFacts {
  const ordered = inCallOrder(events);
  const start = summarizeCallStart(ordered, defaultCountry, timeZone, reading);
  const end = ordered.find((e) => e.moment === 'end');
  const answered = ordered.some((e) => e.moment === 'answer');
  return {
    ...start,
    outcome: end?.outcome ?? (answered ? 'answered' : 'missed'),
    endedAt: end && endTime(ordered, end, start.startedAt),
    // The first employee on the call keeps it (M16): the answer event names them before any transfer.
    employee: firstDefined(ordered, (e) => e.employee),
    transferred: ordered.some((e) => e.transferred === true),
    talkSeconds: end?.talkSeconds,
    durationSeconds: end?.durationSeconds ?? 0,
    recordingUrl: end?.recordingUrl ?? firstDefined(ordered, (e) => e.recordingUrl),
  };
}

/**
 * When the call ended, by the telephony's clock where it gives both the start and the duration: an end event can
 * arrive long after the call — read from the call log by reconciliation or `backfill` (L1), or a webhook the
 * telephony re-sent — and the tasks are dated by the call, not by when callmatrix heard of it. Never after the end
 * event arrived, which a telephony clock running ahead would say; else when it arrived.
 */
function endTime(ordered: CallEvent[], end: CallEvent, startedAt: string): string {
  const reportedStart = ordered.some((e) => e.startedAt !== undefined);
  if (!reportedStart || end.durationSeconds === undefined) return end.receivedAt;
  return new Date(Math.min(Date.parse(startedAt) + end.durationSeconds * 1000, Date.parse(end.receivedAt))).toISOString();
}
