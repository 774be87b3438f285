/**
 * The situations a recorded history must exist for (test/replay/histories/<situation>.json): each is a path
 * through workflow code that calls in flight may be replayed on. For each: the workflow type, and what its history
 * must show to count as that situation. The recorder checks a history before writing it; the replay test replays
 * every file and checks that each situation is there and still shows what it covers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';
import { CLAIMED_REACTIVATIONS, FOREIGN_DIGITS, LATE_MISSED_CALL_AFTER_RINGING, LATE_RECORDINGS, LOOKUP_WITH_TURN, REFUSE_COPIED_RESUMES, REJOIN_LOST_QUEUES, RESUME_WHILE_REPORTING } from '../../workflows/patches';
import { workflowTypes } from '../../temporal/contracts';

type HistoryEvent = NonNullable<History['events']>[number];

interface SituationSpec {
  covers: string;
  workflowType: string;
  /** What the history must show to cover the situation. */
  shows(events: HistoryEvent[]): boolean;
}

const last = (events: HistoryEvent[]) => events.at(-1) ?? {};
const completed = (events: HistoryEvent[]) => Boolean(last(events).workflowExecutionCompletedEventAttributes);
const activities = (events: HistoryEvent[], type: string) => events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === type).length;
const signals = (events: HistoryEvent[], name: string) => events.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === name).length;
/** Whether `event` is the marker of a `patched(id)` branch taken (local activities are recorded as markers too, named otherwise). */
const isPatchMarker = (event: HistoryEvent, id: string) => {
  const marker = event.markerRecordedEventAttributes;
  return marker?.markerName === 'core_patch' && Object.values(marker.details ?? {}).some((d) => d.payloads?.some((p) => p.data && Buffer.from(p.data).toString('utf8').includes(id)));
};
export const tookPatch = (events: HistoryEvent[], id: string) => events.some((e) => isPatchMarker(e, id));

/** Which of the patches `ids` the run first recorded after its first local activity (workflows/patches.ts, decidePatchesUpFront). */
export function patchesAfterFirstLocalActivity(events: HistoryEvent[], ids: readonly string[]): string[] {
  const first = events.findIndex((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
  if (first < 0) return [];
  return ids.filter((id) => events.slice(first).some((e) => isPatchMarker(e, id)) && !events.slice(0, first).some((e) => isPatchMarker(e, id)));
}
const timersFired = (events: HistoryEvent[]) => events.filter((e) => e.timerFiredEventAttributes).length;
const updates = (events: HistoryEvent[]) => events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
const signalsSent = (events: HistoryEvent[], name: string) => events.filter((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes?.signalName === name).length;
const continuedAsNew = (events: HistoryEvent[]) => Boolean(last(events).workflowExecutionContinuedAsNewEventAttributes);
/** Resumed by the re-activation, written, and told the re-activation so (R3). */
const resumedAndWritten = (events: HistoryEvent[]) =>
  completed(events) && signals(events, 'resume') === 1 && events.some((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes);

export const SITUATIONS = {
  'm1-answered-new-client': {
    covers: "M1: an answered call from a new client, looked up while it joined its caller's queue, written after the end event",
    workflowType: workflowTypes.call,
    shows: (events) =>
      completed(events) && activities(events, 'applyPlan') === 1 && activities(events, 'queueForCallerTurnWithLookup') === 1 && tookPatch(events, LOOKUP_WITH_TURN),
  },
  'o1-create-before-call': {
    covers: 'O1: lead and task created while the call rings, then completed by the answered call',
    workflowType: workflowTypes.call,
    shows: (events) => completed(events) && activities(events, 'applyPlan') === 2 && signals(events, 'callEvent') === 3,
  },
  'o1-foreign-digits': {
    covers: 'O1 and M1 for a foreign caller in digits only (48501234567), read as international',
    workflowType: workflowTypes.call,
    shows: (events) => completed(events) && activities(events, 'applyPlan') === 2 && tookPatch(events, FOREIGN_DIGITS),
  },
  'c3-o1-missed-call-written-late': {
    covers: 'C3, O1: a missed call that rang with O1 on, its end event an hour late, asks again for the answered calls with its client written meanwhile and writes its callback completed',
    workflowType: workflowTypes.call,
    shows: (events) => completed(events) && activities(events, 'applyPlan') === 2 && signals(events, 'callEvent') === 2 && tookPatch(events, LATE_MISSED_CALL_AFTER_RINGING),
  },
  'c2-late-recording': {
    covers: 'C2: an answered call written without a recording, then the link of a later end webhook added to its records',
    workflowType: workflowTypes.call,
    shows: (events) => completed(events) && activities(events, 'applyPlan') === 2 && signals(events, 'callEvent') === 2 && tookPatch(events, LATE_RECORDINGS),
  },
  'c2-recording-grace-expired': {
    covers: 'C2: an answered call written without a recording whose grace period passes without one',
    workflowType: workflowTypes.call,
    shows: (events) => completed(events) && activities(events, 'applyPlan') === 1 && tookPatch(events, LATE_RECORDINGS) && timersFired(events) === 1,
  },
  'o4-missed-call-distribution': {
    covers: 'O4: a missed call from a new client takes a turn of the round robin',
    workflowType: workflowTypes.call,
    shows: (events) => completed(events) && activities(events, 'takeDistributionTurn') === 1,
  },
  'distribution-continued-as-new': {
    covers: "O4: the distribution workflow's first run hands out turns and continues as new",
    workflowType: workflowTypes.distribution,
    shows: (events) => continuedAsNew(events) && !events[0].workflowExecutionStartedEventAttributes?.continuedExecutionRunId,
  },
  'distribution-from-continued-state': {
    covers: 'O4: a distribution run started from the carried-over state, continued as new again',
    workflowType: workflowTypes.distribution,
    shows: (events) => continuedAsNew(events) && Boolean(events[0].workflowExecutionStartedEventAttributes?.continuedExecutionRunId),
  },
  'workflow-reset': {
    covers: "an operator's reset of a written M1 call to its first workflow task: the new run",
    workflowType: workflowTypes.call,
    shows: (events) => completed(events) && events.some((e) => e.workflowTaskFailedEventAttributes?.newRunId),
  },
  'failed-call': {
    covers: 'Zoho rejects the data (INVALID_DATA): the call fails after writing the lead',
    workflowType: workflowTypes.call,
    shows: (events) => Boolean(last(events).workflowExecutionFailedEventAttributes),
  },
  'suspended-in-flight-resumed': {
    covers: 'R3: a call that rang before the password change suspends at its lookup, then is resumed and written',
    workflowType: workflowTypes.call,
    shows: (events) => resumedAndWritten(events) && signals(events, 'callEvent') === 2,
  },
  'suspended-while-broken-resumed': {
    covers: 'R1: a call arriving while the integration is broken suspends before asking Zoho, then is resumed and written',
    workflowType: workflowTypes.call,
    shows: (events) => resumedAndWritten(events) && signals(events, 'callEvent') === 1,
  },
  'm17-call-waited-for-turn': {
    covers: "M17: a call that waited behind its caller's earlier call (shown in its status) until the shard told it its turn, then was written",
    workflowType: workflowTypes.call,
    shows: (events) => completed(events) && signals(events, 'callerTurn') >= 1 && activities(events, 'applyPlan') === 1,
  },
  'm17-rejoined-lost-queue': {
    covers: "M17: a call waiting for its caller's turn whose shard an operator terminated finds the call ahead has ended, joins its queue again, gets the turn and is written",
    workflowType: workflowTypes.call,
    shows: (events) =>
      completed(events) && activities(events, 'callRunning') >= 1 && activities(events, 'queueForCallerTurn') >= 1 && tookPatch(events, REJOIN_LOST_QUEUES) && timersFired(events) >= 1,
  },
  'caller-queues-two-calls': {
    covers: "M17 (#15): a shard of callers' queues takes two calls of a caller at once, the first's turn in its join's answer, and the first gives it up",
    workflowType: workflowTypes.callerQueueShard,
    shows: (events) => updates(events) >= 2 && signals(events, 'callerTurnDone') >= 1,
  },
  'caller-queues-from-continued-state': {
    covers: "M17 (#15): a shard run started from the carried-over queues tells the waiting call its turn by signal",
    workflowType: workflowTypes.callerQueueShard,
    shows: (events) => Boolean(events[0].workflowExecutionStartedEventAttributes?.continuedExecutionRunId) && signalsSent(events, 'callerTurn') >= 1,
  },
  'caller-queues-renewed': {
    covers: "key rotation (#15): a shard continues as new when a worker starts (`startNewRun`), its queues carried over",
    workflowType: workflowTypes.callerQueueShard,
    shows: (events) => signals(events, 'startNewRun') === 1 && continuedAsNew(events),
  },
  'distribution-renewed': {
    covers: 'key rotation, O4 (#15): the round robin continues as new when a worker starts (`startNewRun`), its count carried over',
    workflowType: workflowTypes.distribution,
    shows: (events) => signals(events, 'startNewRun') === 1 && continuedAsNew(events),
  },
  'l1-reconciliation': {
    covers: "L1: a reconciliation run finds a call whose webhooks were all dropped in the call log and starts it",
    workflowType: workflowTypes.reconciliation,
    shows: (events) => completed(events) && activities(events, 'reconcileRecentCalls') === 1,
  },
  'r3-resumed-while-reporting': {
    covers: "R3: a resumed call suspends again; a newer re-activation's resume, arriving while it tells the first one so, is kept and the call written",
    workflowType: workflowTypes.call,
    shows: (events) => completed(events) && signals(events, 'resume') === 2 && tookPatch(events, RESUME_WHILE_REPORTING),
  },
  'r3-copied-resume-refused': {
    covers: "security, R3: a suspended call refuses a resume copied from another call's history, then the admin's re-activation resumes it and it is written",
    workflowType: workflowTypes.call,
    shows: (events) => completed(events) && signals(events, 'resume') === 2 && signalsSent(events, 'resumedCall') === 1 && tookPatch(events, REFUSE_COPIED_RESUMES),
  },
  reactivation: {
    covers: "R2, R3: the re-activation workflow claiming its start's ticket, then resuming the suspended calls in call order",
    workflowType: workflowTypes.reactivation,
    shows: (events) => completed(events) && signals(events, 'resumedCall') >= 2 && tookPatch(events, CLAIMED_REACTIVATIONS) && activities(events, 'claimReactivation') === 1,
  },
} satisfies Record<string, SituationSpec>;

export type Situation = keyof typeof SITUATIONS;

export const HISTORIES_DIR = path.join(__dirname, 'histories');

/** A history file: the SDK's history JSON form, plus what it covers and the workflow id replay runs it under. */
export interface RecordedHistory {
  situation: string;
  covers: string;
  workflowType: string;
  workflowId: string;
  history: unknown;
}

/** Why the history does not cover the situation, or undefined when it does. */
export function coverageProblem(situation: Situation, workflowType: string, history: History): string | undefined {
  const spec: SituationSpec = SITUATIONS[situation];
  if (workflowType !== spec.workflowType) return `${situation}: a ${workflowType} history, expected ${spec.workflowType}`;
  if (!spec.shows(history.events ?? [])) return `${situation}: the history does not show "${spec.covers}"`;
  return undefined;
}

/** Every history under the folder, old ones kept in subfolders included. */
export function readRecordedHistories(dir = HISTORIES_DIR): { file: string; recorded: RecordedHistory; history: History }[] {
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.json')).sort();
  return files.map((file) => {
    const recorded = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as RecordedHistory;
    return { file, recorded, history: historyFromJSON(recorded.history) };
  });
}
