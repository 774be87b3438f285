/** C2 in the pure matrix: which written calls wait for a recording, and the updates a link arriving later makes. */
import { planCall } from '../../matrix';
import { lateRecordingUpdates, recordingGraceMs } from '../../matrix/late-recording';
import type { CallPlan } from '../../matrix/plan';
import { call, callback, input, op, settings, withTasks } from './fixtures';

const LINK = 'https://rec.example.com/late-1.mp3';
const withCallRecord = settings({ matrix: { callRecords: true } });
const noRecording = call({ recordingUrl: undefined });

/** The records each operation of `plan` wrote: `<key>-id`, or the id an update targets. */
const writtenBy = (plan: CallPlan): Map<string, string> =>
  new Map(plan.operations.map((o) => [o.key, o.kind === 'update' && 'existing' in o.target ? o.target.existing.id : `${o.key}-id`]));

describe('C2: a recording that arrives after the call was written', () => {
  it('C2: an answered new client (M1/M2) written without a recording waits the grace, and the link goes into its task and Calls record as if it had come with the call, each keeping its marker', () => {
    const plan = planCall(input({ call: noRecording, settings: withCallRecord }));
    expect(String(op(plan, 'task-call').fields.Description)).toContain('Recording: none');
    expect(recordingGraceMs(noRecording, plan, withCallRecord)).toBe(30 * 60_000);

    const updates = lateRecordingUpdates({ plan, written: writtenBy(plan), recordingUrl: LINK, recordingField: true });
    const asIfOnTime = planCall(input({ call: call({ recordingUrl: LINK }), settings: withCallRecord }));
    expect(updates).toEqual([
      {
        kind: 'update',
        key: 'late-recording-task-call',
        rule: 'C2',
        module: 'Tasks',
        target: { existing: { module: 'Tasks', id: 'task-call-id' } },
        keepsMarkerOf: { stage: 'after-call', key: 'task-call' },
        fields: { Description: op(asIfOnTime, 'task-call').fields.Description },
        links: {},
      },
      {
        kind: 'update',
        key: 'late-recording-call-record',
        rule: 'C2',
        module: 'Calls',
        target: { existing: { module: 'Calls', id: 'call-record-id' } },
        keepsMarkerOf: { stage: 'after-call', key: 'call-record' },
        fields: { Description: op(asIfOnTime, 'call-record').fields.Description, Voice_Recording__s: LINK },
        links: {},
      },
    ]);
  });

  it('C2: Voice_Recording__s only where the org has it and the link fits its 255 characters; the Description always', () => {
    const plan = planCall(input({ call: noRecording, settings: withCallRecord }));
    const callRecordFields = (recordingUrl: string, recordingField: boolean) =>
      lateRecordingUpdates({ plan, written: writtenBy(plan), recordingUrl, recordingField }).find((u) => u.module === 'Calls')!.fields;
    expect(callRecordFields(LINK, false)).toEqual({ Description: expect.stringContaining(`Recording: ${LINK}`) });
    const long = `https://rec.example.com/${'x'.repeat(240)}.mp3`;
    expect(callRecordFields(long, true)).toEqual({ Description: expect.stringContaining(`Recording: ${long}`) });
  });

  it('C2: no wait for a call that has its recording, one the telephony does not record (missed), a grace of 0, or a plan that wrote nothing', () => {
    const answered = planCall(input({ call: noRecording }));
    expect(recordingGraceMs(call(), planCall(input()), settings())).toBe(0);
    const missed = call({ outcome: 'missed', recordingUrl: undefined, talkSeconds: 0, employee: undefined });
    expect(recordingGraceMs(missed, planCall(input({ call: missed })), settings())).toBe(0);
    expect(recordingGraceMs(noRecording, answered, settings({ calls: { recordingGraceMinutes: 0 } }))).toBe(0);
    expect(recordingGraceMs(noRecording, { ...answered, operations: [] }, settings())).toBe(0);
    const voicemail = call({ outcome: 'voicemail', recordingUrl: undefined, talkSeconds: 0, employee: undefined });
    expect(recordingGraceMs(voicemail, planCall(input({ call: voicemail })), settings({ calls: { recordingGraceMinutes: 5 } }))).toBe(5 * 60_000);
  });

  it('C2: the callback tasks C3 completes belong to earlier calls and are left alone; a record the call did not write is skipped', () => {
    const earlierCall = callback({ description: 'Call: incoming, missed\nRecording: none\n\ncallmatrix ref 0123' });
    const plan = planCall(input({ call: noRecording, lookup: withTasks(earlierCall) }));
    // M5: Maria answered Taras's client, so Taras gets a review task too ("listen to the recording").
    expect(plan.operations.map((o) => o.key)).toEqual(['task-call', 'task-review', 'close-callback-T1']);
    expect(lateRecordingUpdates({ plan, written: writtenBy(plan), recordingUrl: LINK, recordingField: true }).map((u) => u.key)).toEqual([
      'late-recording-task-call',
      'late-recording-task-review',
    ]);
    expect(lateRecordingUpdates({ plan, written: new Map(), recordingUrl: LINK, recordingField: true })).toEqual([]);
  });

  it('C2: in update-existing mode (O2) the task another integration made gets the link too', () => {
    const o2 = settings({ matrix: { mode: 'update-existing' } });
    const task = { id: 'T9', ownerId: 'zu-taras', name: 'Call', createdTime: '2025-01-15T12:05:30Z', status: 'Not Started', what: { module: 'Leads' as const, id: 'L1' } };
    const plan = planCall(input({ call: noRecording, settings: o2, lookup: { leads: [], deals: [], contacts: [], tasks: [task] } }));
    const updates = lateRecordingUpdates({ plan, written: writtenBy(plan), recordingUrl: LINK, recordingField: true });
    // Another integration's task carries no marker of ours to keep.
    expect(updates).toEqual([
      { kind: 'update', key: 'late-recording-task', rule: 'C2', module: 'Tasks', target: { existing: { module: 'Tasks', id: 'T9' } }, fields: { Description: expect.stringContaining(`Recording: ${LINK}`) }, links: {} },
    ]);
  });
});
