/** C3 in the pure matrix: which open callback tasks a call that reaches the client completes, and the note it leaves. */
import { planCall } from '../../matrix';
import { callerLookupQuery } from '../../matrix/lookup-query';
import { summaryStartMinute } from '../../matrix/call-text';
import { answeredCallSubjects } from '../../matrix/callback-closure';
import type { FoundAnsweredCall, FoundOpenTask } from '../../matrix/input';
import { call, callback, CLIENT, input, keys, lead, op, settings, withTasks } from './fixtures';

const outgoing = call({ direction: 'outgoing', employee: { sipLogin: 'taras' } });

describe('C3: callbacks that close themselves', () => {
  it('an answered outgoing call completes the callback, appending a note that names the call', () => {
    const plan = planCall(input({ call: outgoing, lookup: withTasks(callback()) }));
    expect(keys(plan)).toEqual(['task-call', 'close-callback-T1']);
    expect(op(plan, 'close-callback-T1')).toEqual({
      kind: 'update',
      key: 'close-callback-T1',
      rule: 'C3',
      module: 'Tasks',
      target: { existing: { module: 'Tasks', id: 'T1' } },
      fields: {
        Status: 'Completed',
        Description:
          'Call: incoming, missed\n\ncallmatrix ref 0123\n\nCompleted by callmatrix: the client was reached by an answered outgoing call by Taras Bondarenko on 2025-01-15 14:05 (Europe/Kyiv), ringostat call call-1.',
      },
      links: {},
    });
    expect(plan.explanation.at(-1)).toContain('C3');
  });

  it('an answered incoming call completes it too, naming who took the call', () => {
    const plan = planCall(input({ lookup: withTasks(callback()) }));
    expect(op(plan, 'close-callback-T1').fields.Description).toContain('an answered incoming call, taken by Maria Shevchenko on');
  });

  it('leaves alone tasks not made by callmatrix, renamed, completed, outside the window or created after the call began', () => {
    const plan = planCall(
      input({
        call: outgoing,
        lookup: withTasks(
          callback({ id: 'foreign', madeByCallmatrix: false }),
          callback({ id: 'renamed', subject: 'Ask about the sofa' }),
          callback({ id: 'done', status: 'Completed' }),
          callback({ id: 'old', createdTime: '2025-01-12T12:04:59Z' }),
          callback({ id: 'later', createdTime: '2025-01-15T12:05:01Z' }),
          callback({ id: 'edge', createdTime: '2025-01-12T12:05:00Z' }),
        ),
      }),
    );
    expect(keys(plan)).toEqual(['task-call', 'close-callback-edge']);
  });

  it('a call that does not reach the client, the switch off, or update-existing mode closes nothing and asks for no tasks', () => {
    const missed = call({ outcome: 'missed', employee: undefined, talkSeconds: 0 });
    const off = settings({ callbacks: { closeWhenReached: false } });
    const o2 = settings({ matrix: { mode: 'update-existing' } });
    expect(keys(planCall(input({ call: missed, lookup: withTasks(callback()) })))).toEqual(['task-callback']);
    expect(keys(planCall(input({ call: outgoing, settings: off, lookup: withTasks(callback()) })))).toEqual(['task-call']);
    expect(callerLookupQuery(missed, settings())?.openTasksSince).toBeUndefined();
    expect(callerLookupQuery(outgoing, off)?.openTasksSince).toBeUndefined();
    expect(callerLookupQuery(outgoing, o2)?.openTasksSince).toBeUndefined();
    expect(callerLookupQuery(outgoing, settings({ callbacks: { windowHours: 2 } }))?.openTasksSince).toBe('2025-01-15T10:05:00.000Z');
  });

  it('callback tasks the matrix creates have the subject C3 recognises', () => {
    const missed = call({ outcome: 'missed', employee: undefined, talkSeconds: 0 });
    const subject = String(op(planCall(input({ call: missed, lookup: withTasks() })), 'task-callback').fields.Subject);
    expect(planCall(input({ call: outgoing, lookup: withTasks(callback({ subject })) })).operations.map((o) => o.rule)).toContain('C3');
  });
});

describe('C3: callbacks written after their call (R2 resend, L1 reconciliation)', () => {
  // The call reaching the client started 2025-01-15 12:05Z (14:05 in Kyiv); the callback task was written later.
  const writtenLate = (missedAtKyiv: string) =>
    callback({ createdTime: '2025-01-15T12:30:00Z', description: `Call: incoming, missed\nTime: 2025-01-15 ${missedAtKyiv} (Europe/Kyiv)\n\ncallmatrix ref 0123` });
  const closes = (task: FoundOpenTask, windowHours = 24) =>
    keys(planCall(input({ lookup: withTasks(task), settings: settings({ callbacks: { closeWhenReached: true, windowHours } }) }))).includes('close-callback-T1');

  it('its call, read from the summary it carries, came before this one → completed', () => {
    expect(summaryStartMinute('Call: x\nTime: 2025-01-15 13:04 (Europe/Kyiv)\nFrom: y')).toBe('2025-01-15T11:04:00.000Z');
    expect(closes(writtenLate('13:04'))).toBe(true);
  });

  it('its call came after this one, in the same minute, or before the window → left open', () => {
    expect(closes(writtenLate('14:10'))).toBe(false);
    expect(closes(writtenLate('14:05'))).toBe(false);
    expect(closes(writtenLate('11:00'), 2)).toBe(false);
  });

  it('a summary without a readable time falls back to when the task was created', () => {
    expect(summaryStartMinute('Time: 2025-01-15 13:04 (Not/AZone)')).toBeUndefined();
    expect(closes(callback({ createdTime: '2025-01-15T12:30:00Z' }))).toBe(false);
  });
});

describe('C3: a missed call written after an answered call that came later (L1 reconciliation, a late event)', () => {
  // Missed 12:05–12:08:30Z; the callback window is 24 hours from its start.
  const missed = call({ outcome: 'missed', employee: undefined, talkSeconds: 0, recordingUrl: undefined });
  const answered = (overrides: Partial<FoundAnsweredCall> = {}): FoundAnsweredCall => ({
    module: 'Tasks',
    id: 'A1',
    subject: `Call from ${CLIENT}: answered (1:00)`,
    startedAt: '2025-01-15T12:30:00.000Z',
    madeByCallmatrix: true,
    ...overrides,
  });
  const plan = (...answeredCalls: FoundAnsweredCall[]) =>
    planCall(input({ call: missed, lookup: { leads: [lead()], deals: [], contacts: [], answeredCalls }, settings: settings({ callbacks: { windowHours: 24 } }) }));

  it('an answered call callmatrix wrote after the missed call ended → the callback task is written completed, naming it, with no reminder', () => {
    const written = plan(answered({ id: 'late', startedAt: '2025-01-15T15:00:00.000Z' }), answered(), answered({ module: 'Calls', id: 'C9', subject: `Incoming call from ${CLIENT}` }));
    const task = op(written, 'task-callback');
    expect(task.rule).toBe('M8');
    expect(task.fields).toMatchObject({ Status: 'Completed', Subject: `Call back ${CLIENT}: missed call` });
    expect(task.fields.Remind_At).toBeUndefined();
    expect(String(task.fields.Description)).toMatch(
      /Call back .*\n\nCompleted by callmatrix: the client was reached afterwards by an answered call on 2025-01-15 14:30 \(Europe\/Kyiv\), "Call from \+380981234567: answered \(1:00\)" \(task A1\)\.$/s,
    );
    expect(written.explanation.join('\n')).toContain('C3: an answered call with');
  });

  it('one that started before the missed call ended, after the window, or not written by callmatrix → the callback stays open', () => {
    const open = plan(
      answered({ startedAt: '2025-01-15T12:08:00.000Z' }),
      answered({ startedAt: '2025-01-16T12:05:01.000Z' }),
      answered({ madeByCallmatrix: false }),
    );
    expect(op(open, 'task-callback').fields).toMatchObject({ Status: 'Not Started', Remind_At: expect.anything() });
    expect(op(plan(answered({ startedAt: '2025-01-16T12:05:00.000Z' })), 'task-callback').fields.Status).toBe('Completed');
  });

  it('asks for answered calls only for an ended missed or voicemail incoming call, in create mode, the feature on', () => {
    expect(callerLookupQuery(missed, settings())?.answeredCallsSince).toBe('2025-01-15T12:08:30Z');
    expect(callerLookupQuery(call({ outcome: 'voicemail' }), settings())?.answeredCallsSince).toBe('2025-01-15T12:08:30Z');
    expect(callerLookupQuery(call(), settings())?.answeredCallsSince).toBeUndefined();
    expect(callerLookupQuery(call({ direction: 'outgoing', outcome: 'missed' }), settings())?.answeredCallsSince).toBeUndefined();
    expect(callerLookupQuery(missed, settings({ callbacks: { closeWhenReached: false } }))?.answeredCallsSince).toBeUndefined();
    expect(callerLookupQuery(missed, settings({ matrix: { mode: 'update-existing' } }))?.answeredCallsSince).toBeUndefined();
  });

  it('the subjects it looks for are the ones the matrix gives answered calls\' tasks and Calls records', () => {
    const subjects = answeredCallSubjects(CLIENT);
    const outgoing = call({ direction: 'outgoing', employee: { sipLogin: 'taras' } });
    for (const answeredCall of [call(), outgoing]) {
      const written = planCall(input({ call: answeredCall, lookup: { leads: [lead()], deals: [], contacts: [] }, settings: settings({ matrix: { callRecords: true } }) }));
      expect(subjects.taskPrefixes.some((prefix) => String(op(written, 'task-call').fields.Subject).startsWith(prefix))).toBe(true);
      expect(subjects.calls).toContain(op(written, 'call-record').fields.Subject);
    }
  });
});
