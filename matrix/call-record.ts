/**
 * C1: the call's own record in Zoho's Calls module, where a record's timeline, Zoho's call reports and the
 * Activities views show calls. Field facts (shared/reference/zoho-crm-api.md §4.2, from Zoho's v7 insert-records
 * page and the v8 Python SDK's field list): `Subject`, `Call_Type` (Inbound / Outbound / Missed), `Call_Start_Time`
 * (date-time with offset) and `Call_Duration` are mandatory, a zero duration is refused for Inbound and Outbound
 * (`DEPENDENT_MISMATCH`), a Missed call may leave it out; `$se_module` goes with `What_Id`; an outbound call's
 * state is `Outgoing_Call_Status` (the v8 SDK's key).
 */
import { callStatus, clientNumber, formatDuration } from './call-text';
import { ownerField } from './fields';
import type { CallFacts } from './input';
import type { RecordLink } from './plan';
import type { TaskLinks } from './tasks';
import { localTimeAfter } from '../common/local-time';

export type CallType = 'Inbound' | 'Outbound' | 'Missed';

/** Zoho's `Voice_Recording__s` is a URL field of 255 characters: a longer link goes in the Description only. */
const URL_FIELD_LENGTH = 255;

/** The `Voice_Recording__s` value: the link, where the org has the field and the link fits it. */
export function recordingFieldValue(recordingUrl: string | undefined, recordingField: boolean): string | undefined {
  return recordingField && recordingUrl && recordingUrl.length <= URL_FIELD_LENGTH ? recordingUrl : undefined;
}

/** Incoming answered → Inbound; incoming missed or voicemail → Missed; every outgoing call → Outbound. */
export function callType(call: CallFacts): CallType {
  if (call.direction === 'outgoing') return 'Outbound';
  return call.outcome === 'answered' ? 'Inbound' : 'Missed';
}

/**
 * `Call_Duration`, `mm:ss` (`h:mm:ss` past an hour). The fact sheet's sources disagree on `HH:mm` vs `mm:ss`;
 * integrations and Zoho's Bigin documentation write `mm:ss`. Talk time for a conversation (the whole call's when the
 * telephony did not say, the closest bound known: the field is mandatory); for an outgoing call nobody answered, the
 * time it rang; at least a second, since Zoho refuses a zero Outbound duration (so a call whose end event never
 * came gets 0:01, its Description saying the durations are unknown).
 */
function duration(call: CallFacts, type: CallType): string | undefined {
  if (type === 'Missed') return undefined;
  const seconds = call.outcome === 'answered' ? (call.talkSeconds ?? call.durationSeconds) : call.durationSeconds;
  return formatDuration(Math.max(1, seconds));
}

/** The record's Subject; C3 finds the answered calls of a client by it. */
export function callRecordSubject(call: Pick<CallFacts, 'direction' | 'outcome'>, phone: string): string {
  if (call.direction === 'outgoing') return `Outgoing call to ${phone}: ${callStatus(call).replace('outgoing, ', '')}`;
  const words = { answered: 'Incoming call from', missed: 'Missed call from', voicemail: 'Voicemail from' } as const;
  return `${words[call.outcome]} ${phone}`;
}

export interface CallRecordContent {
  call: CallFacts;
  /** The client's E.164 number. */
  phone: string;
  /** The employee on the call; for a missed call the manager who calls back (responsible, O4 turn or senior). */
  ownerId: string | undefined;
  /** The call summary every task carries: numbers, status, durations, recording link, visit data and UTM. */
  summary: string[];
  links: TaskLinks;
  timeZone: string;
  /** The org's Calls module has `Voice_Recording__s` (not every edition or org does). */
  recordingField: boolean;
}

export function callRecordFields(content: CallRecordContent): { fields: Record<string, unknown>; links: Record<string, RecordLink> } {
  const { call, phone, links } = content;
  const type = callType(call);
  const callDuration = duration(call, type);
  const recording = recordingFieldValue(call.recordingUrl, content.recordingField);
  const outgoingNotAnswered = type === 'Outbound' && call.outcome !== 'answered';
  const recordLinks: Record<string, RecordLink> = {};
  if (links.what) recordLinks.What_Id = links.what.link;
  if (links.who) recordLinks.Who_Id = links.who;
  return {
    fields: {
      Subject: callRecordSubject(call, phone),
      Call_Type: type,
      Call_Start_Time: localTimeAfter(call.startedAt, 0, content.timeZone).isoWithOffset,
      ...(callDuration ? { Call_Duration: callDuration } : {}),
      ...(type === 'Outbound' ? { Outgoing_Call_Status: 'Completed' } : {}),
      ...(outgoingNotAnswered ? { Call_Result: 'No response/Busy' } : {}),
      ...(type === 'Outbound' ? { Dialled_Number: clientNumber(call) } : { Caller_ID: clientNumber(call) }),
      ...ownerField(content.ownerId),
      Description: content.summary.join('\n'),
      ...(recording ? { Voice_Recording__s: recording } : {}),
      ...(links.what ? { $se_module: links.what.module } : {}),
    },
    links: recordLinks,
  };
}
