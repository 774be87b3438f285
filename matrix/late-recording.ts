/**
 * C2, late recordings: the telephony often has a call's recording only minutes after the call, so the call may be
 * written with "Recording: none". A link arriving later (a re-sent end webhook, or the call log, L1) is added to
 * the call's own Task(s) and Calls record — the records whose text carries the call summary — exactly as the text
 * would have shown it had the link come with the call. Pure: the call workflow waits and writes.
 */
import { recordingFieldValue } from './call-record';
import { recordingLine } from './call-text';
import type { CallFacts } from './input';
import { existing } from './plan-builder';
import { stageOf, type CallPlan, type CreateOf, type PlanOperation, type PlanStage, type UpdateOperation } from './plan';
import type { Settings } from './settings-schema';

/** The create whose marker a rewrite of this operation's record keeps: the create itself, or the one it completed (O1). */
function markerKeptBy(operation: PlanOperation, stage: PlanStage): { keepsMarkerOf?: CreateOf } {
  if (operation.kind === 'create') return { keepsMarkerOf: { stage, key: operation.key } };
  return operation.keepsMarkerOf ? { keepsMarkerOf: operation.keepsMarkerOf } : {};
}

const NO_RECORDING = recordingLine(undefined);

/** Someone talked, or the client left a voicemail: the calls a telephony records. */
const recordable = (call: CallFacts): boolean => call.outcome === 'answered' || call.outcome === 'voicemail';

/**
 * The call's Task(s) and Calls record written with "Recording: none". Not the callback tasks C3 completes: they
 * belong to earlier calls, whose summary their text carries.
 */
function awaitsLink(operation: PlanOperation): operation is PlanOperation & { fields: { Description: string } } {
  const { module, rule, fields } = operation;
  return (module === 'Tasks' || module === 'Calls') && rule !== 'C3' && typeof fields.Description === 'string' && fields.Description.split('\n').includes(NO_RECORDING);
}

/**
 * How long the written call stays open to its recording, in ms; 0 when it has one, is not a call the telephony
 * records (missed, unanswered), wrote nothing a link would go into, or the grace is switched off.
 */
export function recordingGraceMs(call: CallFacts, plan: CallPlan, settings: Settings): number {
  if (call.recordingUrl !== undefined || !recordable(call) || !plan.operations.some(awaitsLink)) return 0;
  return settings.calls.recordingGraceMinutes * 60_000;
}

export interface LateRecording {
  /** The after-call plan the call was written with; the updates go with its idempotency prefix (markers kept). */
  plan: CallPlan;
  /** The record each of the plan's operations (by key) wrote. */
  written: ReadonlyMap<string, string>;
  recordingUrl: string;
  /** The org's Calls module has `Voice_Recording__s` (C1). */
  recordingField: boolean;
}

/** The updates that put the link into each written record awaiting it: its Description line, and the Calls field. */
export function lateRecordingUpdates({ plan, written, recordingUrl, recordingField }: LateRecording): UpdateOperation[] {
  return plan.operations.filter(awaitsLink).flatMap((operation): UpdateOperation[] => {
    const id = written.get(operation.key);
    if (id === undefined) return [];
    const description = operation.fields.Description.split('\n')
      .map((line) => (line === NO_RECORDING ? recordingLine(recordingUrl) : line))
      .join('\n');
    const voiceRecording = operation.module === 'Calls' ? recordingFieldValue(recordingUrl, recordingField) : undefined;
    return [
      {
        kind: 'update',
        key: `late-recording-${operation.key}`,
        rule: 'C2',
        module: operation.module,
        target: existing(operation.module, id),
        ...markerKeptBy(operation, stageOf(plan)),
        fields: { Description: description, ...(voiceRecording ? { Voice_Recording__s: voiceRecording } : {}) },
        links: {},
      },
    ];
  });
}
