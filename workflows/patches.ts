import { patched } from '@temporalio/workflow';

/**
 * Patch ids of workflow changes that calls in flight may replay on (README "Changing workflow code"). A patch costs
 * each new workflow a marker and an upsert of the `TemporalChangeVersion` search attribute (the SDK adds it), so
 * the changes of one issue share one id — until that id has landed: a later change needs its own, or calls recorded
 * between the two would replay the later one. Each site decides where it runs: a call recorded before the patch replays
 * the old path up to where it stopped and takes the new one from there. Remove a patch once no call recorded
 * before it can still run (calls close within hours, suspended ones within the resend window).
 */

/**
 * Issue 15: a call starts with one local activity (the CRM context, unless the integration is broken) instead of
 * two, and its turn's last write gives the caller's turn up itself (workflows/caller-turn.ts).
 */
export const FEWER_WORKFLOW_TASKS = 'fewer-workflow-tasks-15';

/** C2 (issue 13): a written call without a recording waits for one through the grace period; only calls that wait record its marker. */
export const LATE_RECORDINGS = 'c2-late-recordings';

/**
 * Issue 15: joining the caller's queue looks the caller up at the same time (`queueForCallerTurnWithLookup`), so a
 * call whose turn is free at once skips the lookup in its turn.
 */
export const LOOKUP_WITH_TURN = 'lookup-with-turn-15';

/**
 * M17: a call waiting behind an earlier call of its caller joins its queue again now and then, so a queue an
 * operator terminated or reset does not leave it waiting for ever (workflows/caller-turn.ts).
 */
export const REJOIN_LOST_QUEUES = 'm17-rejoin-lost-queues';

/**
 * A client number in digits only that is no valid number of the default country is read as international too
 * (common/phone.ts: `48501234567` → `+48501234567`, no longer `ignored`). Only calls whose number reads otherwise
 * record its marker.
 */
export const FOREIGN_DIGITS = 'foreign-digits';

/**
 * R3: a resume that arrives while a resumed call tells its re-activation that it suspended again is kept (a newer
 * re-activation lists the call as suspended, and resumes it, as soon as the call says so); before, the call cleared
 * it after telling and waited for ever, and so did that re-activation. Only resumed calls record its marker.
 */
export const RESUME_WHILE_REPORTING = 'r3-resume-while-reporting';

/**
 * Security: a suspended call refuses a resume not sent for its current suspension (`ResumeOfSuspension`): a
 * decision copied from a history and sent again by whoever reaches Temporal. Only calls that refuse one record its
 * marker; a call that accepted such a resume before replays accepting it.
 */
export const REFUSE_COPIED_RESUMES = 'refuse-copied-resumes';

/**
 * Security: a re-activation claims its start's ticket (activation store) before it resumes calls, and fails as
 * refused without it: a start copied from a history and sent again resumes nothing. Decided at the run's start.
 */
export const CLAIMED_REACTIVATIONS = 'claimed-reactivations';

/**
 * C3: a missed call that rang with O1 on and is written late (its end event lost and read from the call log, L1, or
 * resent late) asks again for the answered calls with its client written meanwhile, instead of deciding on its
 * ringing lookup alone (workflows/call-workflow.ts). Decided after the caller's turn is granted, an activity, never
 * a local one; only such calls record its marker.
 */
export const LATE_MISSED_CALL_AFTER_RINGING = 'c3-late-missed-call-after-ringing';

/**
 * Decides, at the call's start and before its first local activity, the patches the call first uses after one.
 * sdk-core (TS SDK 1.24) can complete a workflow task with a local activity's result marker and run the code that
 * follows the result in the next task; replayed, that code runs in the first task, where the marker of a patch the
 * second task recorded is not known yet, so `patched()` answers false and the call fails with a nondeterminism
 * error (caught once by the replay test, in a recorded history). A decision taken here holds for the run, and its
 * marker lands in the first task. Calls recorded before this replay unchanged: the SDK matches a patch marker
 * decided earlier than it was recorded within the same task (test/replay/histories/before-patches-up-front/).
 */
export function decidePatchesUpFront(): void {
  for (const id of DECIDED_UP_FRONT) patched(id);
}

/** The patches `decidePatchesUpFront` decides; the others are first used after an activity, never a local one. */
export const DECIDED_UP_FRONT = [FEWER_WORKFLOW_TASKS, LOOKUP_WITH_TURN] as const;
