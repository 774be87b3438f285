/**
 * The words a manager reads in the CRM: what happened on the call (D1) — numbers, status, duration, recording,
 * the visit that led to it — laid out so they can act on it without opening the telephony.
 */
import type { VisitData } from '../common/call-event';
import type { CallFacts, CallStartFacts } from './input';
import { localTimeAfter, wallClockInstant } from '../common/local-time';

export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const [hours, minutes, secs] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  const mmss = `${String(minutes).padStart(hours ? 2 : 1, '0')}:${String(secs).padStart(2, '0')}`;
  return hours ? `${hours}:${mmss}` : mmss;
}

/** The call's status in a manager's words (D1), e.g. "incoming, missed" or "outgoing, no answer". */
export function callStatus(call: Pick<CallFacts, 'direction' | 'outcome'>): string {
  if (call.direction === 'outgoing') {
    const outgoing = { answered: 'answered', missed: 'no answer', voicemail: 'reached voicemail' } as const;
    return `outgoing, ${outgoing[call.outcome]}`;
  }
  return `${call.direction}, ${call.outcome}`;
}

/**
 * How the subject of the task of the employee on the call starts (M2, M4–M7, M10, M12; the talk time follows): C3
 * finds the answered calls of a client by it.
 */
export function callTaskSubject(call: Pick<CallFacts, 'direction' | 'outcome'>, phone: string): string {
  const outcome = call.direction === 'outgoing' && call.outcome !== 'answered' ? 'no answer' : call.outcome;
  return `${call.direction === 'outgoing' ? 'Call to' : 'Call from'} ${phone}: ${outcome}`;
}

/** The client's number for people: E.164 when it could be read, else what the telephony sent. */
export const clientNumber = (call: CallStartFacts): string => call.clientPhone ?? call.clientNumberRaw ?? 'unknown number';

/** Visit data (D1): UTM labels, landing page, pool, Google client id — one line each, only those present. */
export function visitLines(visit: VisitData): string[] {
  const utm = [
    ['source', visit.utmSource],
    ['medium', visit.utmMedium],
    ['campaign', visit.utmCampaign],
    ['term', visit.utmTerm],
    ['content', visit.utmContent],
  ]
    .filter(([, value]) => value)
    .map(([label, value]) => `${label}: ${value}`);
  return [
    utm.length > 0 ? `UTM: ${utm.join(', ')}` : undefined,
    visit.landingPage && `Landing page: ${visit.landingPage}`,
    visit.poolName && `Number pool: ${visit.poolName}`,
    visit.googleClientId && `Google client id: ${visit.googleClientId}`,
  ].filter((line): line is string => !!line);
}

/** From/to in the call's own direction: the client calls the company number, or a company line calls the client. */
function endpoints(call: CallStartFacts): string[] {
  const company = call.companyNumber ?? 'company line';
  const [from, to] = call.direction === 'outgoing' ? [company, clientNumber(call)] : [clientNumber(call), company];
  return [`From: ${from}`, `To: ${to}`];
}

/** The summary's recording line: the link, or "none" until one arrives (C2 replaces that line). */
export const recordingLine = (recordingUrl: string | undefined): string => `Recording: ${recordingUrl ?? 'none'}`;

/**
 * Talk and total time as the end event told them. Without an end event (the call was written after
 * `calls.endEventTimeoutMinutes`) neither is known: "total 0:00" would tell the manager the call never happened.
 */
function durations(call: CallFacts): string {
  if (call.endedAt === undefined) return 'no end event from the telephony: durations unknown';
  const total = `total ${formatDuration(call.durationSeconds)}`;
  if (call.outcome !== 'answered') return total;
  return `talk ${call.talkSeconds === undefined ? 'unknown' : formatDuration(call.talkSeconds)}, ${total}`;
}

/** The call summary every task of an ended call carries, after the line that says what to do. */
export function callSummary(call: CallFacts, employeeLine: string | undefined, timeZone: string): string[] {
  const started = localTimeAfter(call.startedAt, 0, timeZone);
  return [
    `Call: ${callStatus(call)} (${durations(call)})`,
    `Time: ${started.date} ${started.time} (${timeZone})`,
    ...endpoints(call),
    employeeLine,
    call.transferred ? 'Transferred afterwards: this records the first employee\'s conversation only.' : undefined,
    recordingLine(call.recordingUrl),
    ...visitLines(call.visit),
  ].filter((line): line is string => !!line);
}

/** The `Time:` line callSummary writes: the call's start to the minute, in the account's zone. */
const SUMMARY_TIME_LINE = /^Time: (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) \(([^()\n]+)\)$/m;

/**
 * The minute (ISO 8601 instant) the call told in `text`, a callSummary, started, read back from its `Time:` line;
 * undefined when the text has none a time zone can read (a user may have edited it).
 */
export function summaryStartMinute(text: string): string | undefined {
  const match = SUMMARY_TIME_LINE.exec(text);
  if (!match) return undefined;
  try {
    return wallClockInstant(`${match[1]}T${match[2]}:00`, match[3]);
  } catch {
    return undefined;
  }
}

/** What a lead created from the call says about how the client came (D1: landing page and pool have no field). */
export function leadDescription(call: CallStartFacts, timeZone: string): string {
  const started = localTimeAfter(call.startedAt, 0, timeZone);
  return [`First call: ${call.direction}, ${started.date} ${started.time} (${timeZone})`, ...endpoints(call), ...visitLines(call.visit)].join('\n');
}
