/**
 * C3, callbacks that close themselves: an open "call the client back" task that callmatrix created (M8, M9, M13,
 * M14) is completed once a later call reaches the client within `callbacks.windowHours`: an answered outgoing call
 * from any employee, or an answered incoming call. The closing note names the call that closed it. Pure: the
 * caller lookup brings the open tasks whose subject names the caller's number (`openTasks`), asked for through
 * `openTasksSince`.
 */
import { localTimeAfter } from '../common/local-time';
import { callRecordSubject } from './call-record';
import { callTaskSubject, summaryStartMinute } from './call-text';
import { resolveEmployee } from './employees';
import type { CallFacts, CallStartFacts, ClientLookupQuery, FoundAnsweredCall, FoundOpenTask, MatrixInput } from './input';
import type { CallPlan, UpdateOperation } from './plan';
import type { Settings } from './settings-schema';

/** The subject `call-plan.ts:addCallbackTask` gives callback tasks starts so; a task renamed by a user is left alone. */
export const CALLBACK_SUBJECT_PREFIX = 'Call back ';

/**
 * How the subject of a callback task for `phone` (E.164) starts: the lookup finds the caller's callback tasks by it,
 * in the lookup's own request, without waiting for the ids of the caller's records. The colon keeps a longer number
 * that starts with this one out.
 */
export const callbackSubjectPrefix = (phone: string): string => `${CALLBACK_SUBJECT_PREFIX}${phone}:`;

/**
 * An ended call that was answered, or a call still ringing: with O1 on, the lookup made while it rang is the one the
 * after-call decision uses, so it asks for the open tasks in case the call is answered.
 */
const mayReachClient = (call: CallStartFacts): boolean => !('outcome' in call) || (call as CallFacts).outcome === 'answered';

/**
 * From when the caller's open tasks are worth looking up (ISO 8601), or undefined when this call closes nothing:
 * the feature is off, the call did not reach the client, or it runs in update-existing mode (O2 completes nothing).
 */
export function openTasksSince(call: CallStartFacts, settings: Settings): string | undefined {
  if (!settings.callbacks.closeWhenReached || settings.matrix.mode !== 'create' || !mayReachClient(call)) return undefined;
  return new Date(Date.parse(call.startedAt) - settings.callbacks.windowHours * 3_600_000).toISOString();
}

/**
 * Whether the callback task's own call came in the window and before `call`. A task written while its call happened
 * was created then; one written late (R2 resend after re-activation, L1 reconciliation) is newer than the calls after
 * it, so its call's time, read from the summary it carries to the minute, decides: that minute must overlap the
 * window and be over before `call` started, so a call in the same minute never closes it.
 */
function missedInWindowBefore(task: FoundOpenTask, since: string, call: CallFacts): boolean {
  const [created, started] = [Date.parse(task.createdTime), Date.parse(call.startedAt)];
  const missedMinute = summaryStartMinute(task.description);
  if (missedMinute === undefined) return created >= Date.parse(since) && created <= started;
  const missed = Date.parse(missedMinute);
  return missed + 60_000 > Date.parse(since) && (created <= started || missed + 60_000 <= started);
}

/** Made by callmatrix, a callback, not completed, for a call in the window before this one. */
function closable(task: FoundOpenTask, since: string, call: CallFacts): boolean {
  return task.madeByCallmatrix && task.subject.startsWith(CALLBACK_SUBJECT_PREFIX) && task.status !== 'Completed' && missedInWindowBefore(task, since, call);
}

function closingNote(call: CallFacts, settings: Settings, timeZone: string): string {
  const started = localTimeAfter(call.startedAt, 0, timeZone);
  const resolution = call.employee ? resolveEmployee(call.employee, settings.employees, settings.telephony.defaultCountry) : undefined;
  const by = resolution?.kind === 'mapped' ? ` by ${resolution.employee.name}` : '';
  const kind = call.direction === 'outgoing' ? `an answered outgoing call${by}` : `an answered incoming call${by ? `, taken${by}` : ''}`;
  return `Completed by callmatrix: the client was reached by ${kind} on ${started.date} ${started.time} (${timeZone}), ${call.provider} call ${call.callId}.`;
}

/** A callback task's fields once completed: its Status, and the note naming the call that reached the client. */
function completedWith(note: string, description: unknown): Record<string, unknown> {
  return { Status: 'Completed', Description: typeof description === 'string' && description ? `${description}\n\n${note}` : note };
}

/** The updates completing the callback tasks this call closes, each with the note appended to its Description. */
export function callbackClosures(input: MatrixInput): UpdateOperation[] {
  const since = openTasksSince(input.call, input.settings);
  if (since === undefined) return [];
  const call = input.call;
  const note = closingNote(call, input.settings, input.timeZone);
  return (input.lookup.openTasks ?? [])
    .filter((task) => closable(task, since, call))
    .map((task) => ({
      kind: 'update',
      key: `close-callback-${task.id}`,
      rule: 'C3',
      module: 'Tasks',
      target: { existing: { module: 'Tasks', id: task.id } },
      fields: completedWith(note, task.description),
      links: {},
    }));
}

/** The plan with the callback closures of this call added after its own operations. */
export function withCallbackClosures(plan: CallPlan, input: MatrixInput): CallPlan {
  const closures = callbackClosures(input);
  if (closures.length === 0) return plan;
  const tasks = closures.map((c) => (c.target as { existing: { id: string } }).existing.id).join(', ');
  return {
    ...plan,
    operations: [...plan.operations, ...closures],
    explanation: [...plan.explanation, `C3: the call reached the client, so the open callback task(s) ${tasks} are completed.`],
  };
}

/*
 * C3 the other way round: a missed call written after an answered call that came later (its webhooks lost and the
 * call recovered by reconciliation, L1, or `callmatrix backfill`; an event resent late). The client was reached
 * already, so the callback task the missed call writes (M8, M9, M13, M14) is written completed, naming that call.
 */

/**
 * From when (ISO 8601: the missed call's end, by the telephony's clock) the answered calls callmatrix wrote with this
 * caller are worth looking up, or undefined when the call writes no callback task C3 could complete: it was
 * answered or is still ringing, the feature is off, or it runs in update-existing mode. The lookup asks only when
 * the call is written late (`asksForAnsweredCalls`): a call written on time cannot have been overtaken.
 */
export function answeredCallsSince(call: CallStartFacts, settings: Settings): string | undefined {
  if (!settings.callbacks.closeWhenReached || settings.matrix.mode !== 'create' || !('outcome' in call)) return undefined;
  const ended = call as CallFacts;
  return ended.direction === 'incoming' && ended.outcome !== 'answered' ? (ended.endedAt ?? ended.startedAt) : undefined;
}

/**
 * C3: a missed call looked up this long after it ended is written late (its webhooks lost and the call recovered by
 * reconciliation, L1, or backfill; an end event resent or read from the call log late), and may have been overtaken
 * by an answered call with the client that is in the CRM already. A call written on time (within seconds of its end)
 * cannot have been: the caller's later calls queue behind it (M17). Only late calls pay for the query.
 */
const WRITTEN_LATE_AFTER_MS = 60_000;

/**
 * Whether a lookup made at `now` (epoch ms) for `query` asks for the answered calls that may have overtaken the
 * missed call (`answeredCallsSince`): the call writes a callback task C3 could complete, and is written late.
 */
export function asksForAnsweredCalls(query: Pick<ClientLookupQuery, 'answeredCallsSince'>, now: number): query is { answeredCallsSince: string } {
  const since = query.answeredCallsSince;
  return since !== undefined && now - Date.parse(since) >= WRITTEN_LATE_AFTER_MS;
}

/**
 * The subjects an answered call with `phone` leaves in the CRM: its Calls record's (C1), exact, and how its
 * employee's completed task's starts (a longer number cannot follow: the colon comes first).
 */
export function answeredCallSubjects(phone: string): { calls: string[]; taskPrefixes: string[] } {
  const answered = (direction: 'incoming' | 'outgoing') => ({ direction, outcome: 'answered' }) as const;
  return {
    calls: [callRecordSubject(answered('incoming'), phone), callRecordSubject(answered('outgoing'), phone)],
    taskPrefixes: [callTaskSubject(answered('incoming'), phone), callTaskSubject(answered('outgoing'), phone)],
  };
}

/**
 * The first answered call callmatrix wrote that started after this missed call ended and at most
 * `callbacks.windowHours` after it started (the window C3 gives a callback), if any.
 */
export function reachedAfterMissedCall(input: MatrixInput): FoundAnsweredCall | undefined {
  const since = answeredCallsSince(input.call, input.settings);
  if (since === undefined) return undefined;
  const until = Date.parse(input.call.startedAt) + input.settings.callbacks.windowHours * 3_600_000;
  const inWindow = (c: FoundAnsweredCall) => c.madeByCallmatrix && Date.parse(c.startedAt) >= Date.parse(since) && Date.parse(c.startedAt) <= until;
  return (input.lookup.answeredCalls ?? []).filter(inWindow).sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt))[0];
}

/** The callback task's fields, written completed with a note naming the answered call that reached the client. */
export function completedCallback(fields: Record<string, unknown>, reached: FoundAnsweredCall, timeZone: string): Record<string, unknown> {
  const started = localTimeAfter(reached.startedAt, 0, timeZone);
  const record = reached.module === 'Calls' ? 'Calls record' : 'task';
  const note = `Completed by callmatrix: the client was reached afterwards by an answered call on ${started.date} ${started.time} (${timeZone}), "${reached.subject}" (${record} ${reached.id}).`;
  // A completed task reminds nobody.
  const kept = Object.fromEntries(Object.entries(fields).filter(([name]) => name !== 'Remind_At'));
  return { ...kept, ...completedWith(note, fields.Description) };
}
