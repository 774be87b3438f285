/** C1: the call's record in the Calls module, as the matrix plans it. */
import { planCall } from '../../matrix';
import { CLIENT, MARIA, SENIOR, TARAS, call, contact, deal, input, lead, op, settings } from './fixtures';

const logged = (overrides: Record<string, unknown> = {}) => {
  const { matrix, ...rest } = overrides;
  return settings({ ...rest, matrix: { callRecords: true, ...(matrix as object) } });
};

describe('C1: the Calls module record', () => {
  it('an answered call: Inbound at the local start time with its offset, talk time, recording, linked like the tasks', () => {
    const plan = planCall(input({ settings: logged(), callRecordingField: true, lookup: { leads: [], deals: [deal()], contacts: [contact({ id: 'C9' })] } }));
    const record = op(plan, 'call-record');
    expect(record).toMatchObject({
      kind: 'create',
      rule: 'C1',
      module: 'Calls',
      fields: {
        Subject: `Incoming call from ${CLIENT}`,
        Call_Type: 'Inbound',
        Call_Start_Time: '2025-01-15T14:05:00+02:00',
        Call_Duration: '2:05',
        Caller_ID: CLIENT,
        Owner: { id: MARIA },
        Voice_Recording__s: 'https://rec.example.com/call-1.mp3',
        $se_module: 'Deals',
      },
      links: { What_Id: { existing: { module: 'Deals', id: 'D1' } }, Who_Id: { existing: { module: 'Contacts', id: 'C9' } } },
    });
    expect(record.fields.Description).toContain('Recording: https://rec.example.com/call-1.mp3');
    expect(record.fields.Description).toContain('Landing page: https://shop.example.com/sofas');
    expect(plan.explanation).toContain('C1: the call is logged in the Calls module as Inbound.');
  });

  it('a talk time the telephony did not give is unknown, not 0: "talk unknown" in the summary, the whole call as the mandatory duration, no time in the task subject', () => {
    const plan = planCall(input({ settings: logged(), call: call({ talkSeconds: undefined, durationSeconds: 150 }) }));
    const record = op(plan, 'call-record');
    expect(record.fields.Call_Duration).toBe('2:30');
    expect(record.fields.Description).toContain('(talk unknown, total 2:30)');
    const task = op(plan, 'task-call');
    expect(task.fields.Description).toContain('(talk unknown, total 2:30)');
    expect(task.fields.Subject).toMatch(/: answered$/);
  });

  it('a call the telephony never sent the end of: its durations are unknown in the summary, not "total 0:00"; the mandatory duration is the least Zoho takes', () => {
    const plan = planCall(input({ settings: logged(), call: call({ endedAt: undefined, talkSeconds: undefined, durationSeconds: 0 }) }));
    const record = op(plan, 'call-record');
    expect(record.fields.Call_Duration).toBe('0:01');
    expect(record.fields.Description).toContain('Call: incoming, answered (no end event from the telephony: durations unknown)');
    expect(op(plan, 'task-call').fields.Description).not.toContain('total');
  });

  it('summer time gives +03:00; a recording field the org lacks, or a link longer than its 255 characters, stays in the Description only', () => {
    const summer = planCall(input({ settings: logged(), call: call({ startedAt: '2025-07-15T11:05:00Z' }) }));
    expect(op(summer, 'call-record').fields).toMatchObject({ Call_Start_Time: '2025-07-15T14:05:00+03:00' });
    expect(op(summer, 'call-record').fields.Voice_Recording__s).toBeUndefined();
    const long = `https://rec.example.com/${'x'.repeat(250)}.mp3`;
    const plan = planCall(input({ settings: logged(), callRecordingField: true, call: call({ recordingUrl: long }) }));
    expect(op(plan, 'call-record').fields.Voice_Recording__s).toBeUndefined();
    expect(op(plan, 'call-record').fields.Description).toContain(long);
  });

  it('a missed call: Missed, no duration, owned by whoever calls back — the responsible manager, else the senior manager', () => {
    const missed = call({ outcome: 'missed', employee: undefined, talkSeconds: 0, recordingUrl: undefined });
    const existing = op(planCall(input({ settings: logged(), call: missed, lookup: { leads: [lead()], deals: [], contacts: [] } })), 'call-record');
    expect(existing.fields).toMatchObject({ Call_Type: 'Missed', Owner: { id: TARAS } });
    expect(existing.fields.Call_Duration).toBeUndefined();
    expect(op(planCall(input({ settings: logged(), call: missed })), 'call-record').fields).toMatchObject({ Call_Type: 'Missed', Owner: { id: SENIOR }, Subject: `Missed call from ${CLIENT}` });
  });

  it('an outgoing call: Outbound and Completed; unanswered, its ringing time (never zero) and "No response/Busy"', () => {
    const outgoing = call({ direction: 'outgoing' });
    const answered = op(planCall(input({ settings: logged(), call: outgoing, lookup: { leads: [lead()], deals: [], contacts: [] } })), 'call-record');
    expect(answered.fields).toMatchObject({ Call_Type: 'Outbound', Outgoing_Call_Status: 'Completed', Call_Duration: '2:05', Dialled_Number: CLIENT });
    expect(answered.fields.Call_Result).toBeUndefined();
    const silent = call({ direction: 'outgoing', outcome: 'missed', talkSeconds: 0, durationSeconds: 0 });
    const unanswered = op(planCall(input({ settings: logged(), call: silent, lookup: { leads: [lead()], deals: [], contacts: [] } })), 'call-record');
    expect(unanswered.fields).toMatchObject({ Call_Type: 'Outbound', Call_Duration: '0:01', Call_Result: 'No response/Busy' });
  });

  it('switches: global off, per scenario off, per scenario on over global off; O2 never creates one', () => {
    const keysOf = (s: ReturnType<typeof settings>) => planCall(input({ settings: s })).operations.map((o) => o.key);
    expect(keysOf(logged())).toContain('call-record');
    expect(keysOf(settings({ matrix: { callRecords: false } }))).not.toContain('call-record');
    expect(keysOf(logged({ matrix: { scenarios: { 'answered-new-client': { callRecord: false } } } }))).not.toContain('call-record');
    expect(keysOf(settings({ matrix: { callRecords: false, scenarios: { 'answered-new-client': { callRecord: true } } } }))).toContain('call-record');
    const o2 = logged({ matrix: { mode: 'update-existing' } });
    expect(planCall(input({ settings: o2, lookup: { leads: [lead({ createdTime: '2025-01-15T12:04:00Z' })], deals: [], contacts: [] } })).operations.map((o) => o.module)).not.toContain('Calls');
  });
});
