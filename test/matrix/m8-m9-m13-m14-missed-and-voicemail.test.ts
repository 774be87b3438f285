import { planCall } from '../../matrix';
import { CLIENT, EMPLOYEES, MARIA, OKSANA, SENIOR, TARAS, call, contact, deal, input, keys, lead, op, owner, settings } from './fixtures';

const missed = call({ outcome: 'missed', talkSeconds: 0, durationSeconds: 40, recordingUrl: undefined, employee: undefined });
const voicemail = call({ outcome: 'voicemail', talkSeconds: 0, durationSeconds: 75, recordingUrl: 'https://rec.example.com/vm-1.mp3', employee: undefined });
/** Maria and Oksana take part in the missed-call distribution (O4). */
const distributing = () =>
  settings({ employees: EMPLOYEES.map((employee) => ({ ...employee, missedCallDistribution: employee.code !== '102' })) });

describe('incoming call missed', () => {
  it('M8: existing lead → an open callback task on the lead owner, due after the configured callback minutes', () => {
    const plan = planCall(input({ call: missed, lookup: { leads: [lead()], deals: [], contacts: [] } }));
    expect(plan).toMatchObject({ scenario: 'missed-existing-client', rule: 'M8' });
    expect(keys(plan)).toEqual(['task-callback']);
    const task = op(plan, 'task-callback');
    expect(task).toMatchObject({ kind: 'create', rule: 'M8', links: { What_Id: { existing: { module: 'Leads', id: 'L1' } } } });
    // Ended 14:08:30 Kyiv + 60 min.
    expect(task.fields).toMatchObject({
      Subject: `Call back ${CLIENT}: missed call`,
      Status: 'Not Started',
      Owner: { id: TARAS },
      Due_Date: '2025-01-15',
      $se_module: 'Leads',
      Remind_At: { ALARM: 'FREQ=NONE;ACTION=POPUP;TRIGGER=DATE-TIME:2025-01-15T15:08:30+02:00' },
    });
    expect(task.fields.Description).toContain('Call: incoming, missed (total 0:40)');
    expect(task.fields.Description).toContain('Recording: none');
  });

  it('M8: existing deal → the callback goes to the deal owner, in the deal', () => {
    const plan = planCall(input({ call: missed, lookup: { leads: [], deals: [deal({ ownerId: OKSANA })], contacts: [contact()] } }));
    expect(op(plan, 'task-callback')).toMatchObject({ fields: { Owner: { id: OKSANA }, $se_module: 'Deals' }, links: { What_Id: { existing: { module: 'Deals', id: 'D1' } } } });
  });

  it("M8: the lead's owner is no longer an active Zoho user → the callback goes to the senior manager, still in the lead; unknown users (a call recorded before) change nothing", () => {
    const lookup = { leads: [lead()], deals: [], contacts: [] };
    const plan = planCall(input({ call: missed, lookup, activeUserIds: [SENIOR, MARIA, OKSANA] }));
    expect(plan.rule).toBe('M8');
    expect(op(plan, 'task-callback')).toMatchObject({ fields: { Owner: { id: SENIOR } }, links: { What_Id: { existing: { module: 'Leads', id: 'L1' } } } });
    expect(plan.explanation.join('\n')).toContain(`The owner of Leads L1 (Zoho user ${TARAS}) is not an active user: the senior manager takes the follow-up`);

    expect(op(planCall(input({ call: missed, lookup, activeUserIds: [TARAS] })), 'task-callback').fields).toMatchObject({ Owner: { id: TARAS } });
    expect(op(planCall(input({ call: missed, lookup })), 'task-callback').fields).toMatchObject({ Owner: { id: TARAS } });
  });

  it('M8: only a contact → the callback goes to the contact owner, linked to the contact; no lead', () => {
    const plan = planCall(input({ call: missed, lookup: { leads: [], deals: [], contacts: [contact({ ownerId: OKSANA })] } }));
    expect(keys(plan)).toEqual(['task-callback']);
    const task = op(plan, 'task-callback');
    expect(task.fields).toMatchObject({ Owner: { id: OKSANA } });
    expect(task.fields).not.toHaveProperty('$se_module');
    expect(task.links).toEqual({ Who_Id: { existing: { module: 'Contacts', id: 'C1' } } });
  });

  it('M9: new client → a lead on the senior manager and an open callback task linked to it', () => {
    const plan = planCall(input({ call: missed }));
    expect(plan).toMatchObject({ scenario: 'missed-new-client', rule: 'M9' });
    expect(plan.distribution).toBeUndefined();
    expect(keys(plan)).toEqual(['lead', 'task-callback']);
    expect(op(plan, 'lead')).toMatchObject({ kind: 'create', rule: 'M9', fields: { Phone: CLIENT, Owner: { id: SENIOR }, rs_utm_source: 'google' } });
    expect(op(plan, 'task-callback')).toMatchObject({
      rule: 'M9',
      fields: { Status: 'Not Started', Owner: { id: SENIOR }, $se_module: 'Leads' },
      links: { What_Id: { createdBy: 'lead' } },
    });
  });

  it('M9: the callback due date rolls into the next day in the account time zone', () => {
    const late = call({ ...missed, startedAt: '2025-07-01T20:30:00Z', endedAt: '2025-07-01T20:31:00Z' });
    // 23:31 Kyiv summer time (UTC+3) + 60 min = 00:31 on 2 July.
    const task = op(planCall(input({ call: late })), 'task-callback');
    expect(task.fields.Due_Date).toBe('2025-07-02');
    expect(task.fields.Remind_At).toEqual({ ALARM: 'FREQ=NONE;ACTION=POPUP;TRIGGER=DATE-TIME:2025-07-02T00:31:00+03:00' });
  });

  it('M9: with no senior manager and no distribution, the lead and task are still made (the CRM assigns the integration user)', () => {
    const plan = planCall(input({ call: missed, settings: settings({ seniorManager: undefined }) }));
    expect(keys(plan)).toEqual(['lead', 'task-callback']);
    expect(op(plan, 'lead').fields).not.toHaveProperty('Owner');
    expect(plan.explanation.join('\n')).toContain('No senior manager configured');
  });

  it('M9: an employee named on a missed call (the phone that rang) does not own anything', () => {
    const plan = planCall(input({ call: { ...missed, employee: { sipLogin: 'maria' } } }));
    expect(owner(op(plan, 'lead'))).toBe(SENIOR);
  });
});

describe('missed-call distribution (O4)', () => {
  it('O4: the new client’s lead and callback go to the flagged employee whose turn it is', () => {
    const plan = planCall(input({ call: missed, settings: distributing(), distributionTurn: 1 }));
    expect(owner(op(plan, 'lead'))).toBe(OKSANA);
    expect(owner(op(plan, 'task-callback'))).toBe(OKSANA);
    expect(plan.distribution).toEqual({ turn: 1, employeeCode: '103' });
  });

  it('O4: turns go round the flagged employees in settings order, skipping the others', () => {
    const owners = [0, 1, 2, 3].map((turn) => owner(op(planCall(input({ call: missed, settings: distributing(), distributionTurn: turn })), 'lead')));
    expect(owners).toEqual([MARIA, OKSANA, MARIA, OKSANA]);
  });

  it('O4: a flagged employee whose Zoho user is no longer active takes no turn; unknown users (a call recorded before) change nothing', () => {
    const owners = (activeUserIds?: string[]) =>
      [0, 1].map((turn) => owner(op(planCall(input({ call: missed, settings: distributing(), distributionTurn: turn, activeUserIds })), 'lead')));
    expect(owners([SENIOR, OKSANA, TARAS])).toEqual([OKSANA, OKSANA]);
    expect(owners()).toEqual([MARIA, OKSANA]);
  });

  it('O4: applies to voicemail from a new client too (M13)', () => {
    const plan = planCall(input({ call: voicemail, settings: distributing(), distributionTurn: 2 }));
    expect(owner(op(plan, 'lead'))).toBe(MARIA);
    expect(plan.distribution).toEqual({ turn: 2, employeeCode: '101' });
  });

  it('O4: existing clients stay with their responsible manager and consume no turn', () => {
    const plan = planCall(input({ call: missed, lookup: { leads: [lead()], deals: [], contacts: [] }, settings: distributing(), distributionTurn: 1 }));
    expect(owner(op(plan, 'task-callback'))).toBe(TARAS);
    expect(plan.distribution).toBeUndefined();
  });

  it('O4: nobody flagged → the senior manager, as in M9', () => {
    const plan = planCall(input({ call: missed, distributionTurn: 5 }));
    expect(owner(op(plan, 'lead'))).toBe(SENIOR);
    expect(plan.distribution).toBeUndefined();
  });
});

describe('voicemail', () => {
  it('M13: new client → a lead on the senior manager and an open callback task with the voicemail recording', () => {
    const plan = planCall(input({ call: voicemail }));
    expect(plan).toMatchObject({ scenario: 'voicemail-new-client', rule: 'M13' });
    expect(keys(plan)).toEqual(['lead', 'task-callback']);
    expect(op(plan, 'lead')).toMatchObject({ rule: 'M13', fields: { Owner: { id: SENIOR } } });
    const task = op(plan, 'task-callback');
    expect(task).toMatchObject({ rule: 'M13', fields: { Subject: `Call back ${CLIENT}: voicemail`, Status: 'Not Started', Owner: { id: SENIOR } } });
    expect(task.fields.Description).toContain('left a voicemail');
    expect(task.fields.Description).toContain('Recording: https://rec.example.com/vm-1.mp3');
  });

  it('M14: existing client → an open callback task on the responsible manager with the voicemail recording', () => {
    const plan = planCall(input({ call: voicemail, lookup: { leads: [], deals: [deal({ ownerId: MARIA })], contacts: [] } }));
    expect(plan).toMatchObject({ scenario: 'voicemail-existing-client', rule: 'M14' });
    expect(keys(plan)).toEqual(['task-callback']);
    expect(op(plan, 'task-callback')).toMatchObject({
      rule: 'M14',
      fields: { Owner: { id: MARIA }, Status: 'Not Started', $se_module: 'Deals' },
      links: { What_Id: { existing: { module: 'Deals', id: 'D1' } } },
    });
    expect(op(plan, 'task-callback').fields.Description).toContain('Recording: https://rec.example.com/vm-1.mp3');
  });
});
