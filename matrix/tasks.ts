/**
 * Task fields (Zoho Tasks): completed tasks record a conversation; open tasks ask someone to act by a due time.
 * `Due_Date` is a date in the account's time zone; the exact due time goes into a pop-up reminder and the text.
 */
import { ownerField } from './fields';
import type { RecordLink } from './plan';
import { localTimeAfter } from '../common/local-time';

export type TaskStatus = 'Completed' | 'Not Started';

/** The record the task is about (`What_Id`, a Lead or a Deal) and the person (`Who_Id`, a Contact). */
export interface TaskLinks {
  what?: { module: 'Leads' | 'Deals'; link: RecordLink };
  who?: RecordLink;
}

export interface TaskContent {
  subject: string;
  ownerId: string | undefined;
  /** Absent: a completed task dated the day of the call. */
  dueInMinutes?: number;
  /** What to do, first; the call summary after it. */
  instructions: string[];
  summary: string[];
  links: TaskLinks;
}

/** When the call is over: due times count from the end of the call, or from its start if the end never came. */
export interface TaskClock {
  at: string;
  timeZone: string;
}

export function taskFields(content: TaskContent, clock: TaskClock): { fields: Record<string, unknown>; links: Record<string, RecordLink> } {
  const open = content.dueInMinutes !== undefined;
  const due = localTimeAfter(clock.at, content.dueInMinutes ?? 0, clock.timeZone);
  const dueLine = open ? `Due: ${due.date} ${due.time} (${clock.timeZone})` : undefined;
  const description = [...content.instructions, dueLine, '', ...content.summary].filter((line) => line !== undefined).join('\n');
  const links: Record<string, RecordLink> = {};
  if (content.links.what) links.What_Id = content.links.what.link;
  if (content.links.who) links.Who_Id = content.links.who;
  return {
    fields: {
      Subject: content.subject,
      Status: open ? 'Not Started' : 'Completed',
      Due_Date: due.date,
      ...ownerField(content.ownerId),
      Description: description.trim(),
      ...(content.links.what ? { $se_module: content.links.what.module } : {}),
      ...(open ? { Remind_At: { ALARM: `FREQ=NONE;ACTION=POPUP;TRIGGER=DATE-TIME:${due.isoWithOffset}` } } : {}),
    },
    links,
  };
}
