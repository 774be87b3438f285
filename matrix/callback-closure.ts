/**
 * C3, callbacks that close themselves: an open "call the client back" task that callmatrix created (M8, M9, M13,
 * M14) is completed once a later call reaches the client within `callbacks.windowHours`: an answered outgoing call
 * from any employee, or an answered incoming call. The closing note names the call that closed it. Pure: the
 * caller lookup brings the open tasks whose subject names the caller's number (`openTasks`), asked for through
 * `openTasksSince`.
 */
import { localTimeAfter } from '../common/local-time';
import { resolveEmployee } from './employees';
import type { CallFacts, CallStartFacts, FoundOpenTask, MatrixInput } from './input';
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

const reachesClient = (call: CallStartFacts): call is CallFacts => 'outcome' in call && (call as CallFacts).outcome === 'answered';

/**
 * From when the caller's open tasks are worth looking up (ISO 8601), or undefined when this call closes nothing:
 * the feature is off, the call did not reach the client, or it runs in update-existing mode (O2 completes nothing).
 */
export function openTasksSince(call: CallStartFacts, settings: Settings): string | undefined {
  if (!settings.callbacks.closeWhenReached || settings.matrix.mode !== 'create' || !reachesClient(call)) return undefined;
  return new Date(Date.parse(call.startedAt) - settings.callbacks.windowHours * 3_600_000).toISOString();
}

/** Made by callmatrix, a callback, not completed, created in the window and before this call started. */
function closable(task: FoundOpenTask, since: string, call: CallFacts): boolean {
  const created = Date.parse(task.createdTime);
  return (
    task.madeByCallmatrix &&
    task.subject.startsWith(CALLBACK_SUBJECT_PREFIX) &&
    task.status !== 'Completed' &&
    created >= Date.parse(since) &&
    created <= Date.parse(call.startedAt)
  );
}

function closingNote(call: CallFacts, settings: Settings, timeZone: string): string {
  const started = localTimeAfter(call.startedAt, 0, timeZone);
  const resolution = call.employee ? resolveEmployee(call.employee, settings.employees, settings.telephony.defaultCountry) : undefined;
  const by = resolution?.kind === 'mapped' ? ` by ${resolution.employee.name}` : '';
  const kind = call.direction === 'outgoing' ? `an answered outgoing call${by}` : `an answered incoming call${by ? `, taken${by}` : ''}`;
  return `Completed by callmatrix: the client was reached by ${kind} on ${started.date} ${started.time} (${timeZone}), ${call.provider} call ${call.callId}.`;
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
      fields: { Status: 'Completed', Description: task.description ? `${task.description}\n\n${note}` : note },
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
