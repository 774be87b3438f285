import { planCall } from '../../matrix';
import { CLIENT, MARIA, OKSANA, SENIOR, TARAS, call, contact, deal, input, keys, lead, op, owner, settings } from './fixtures';

describe('incoming call answered, existing client with an open lead/deal', () => {
  it('M4: answered by the responsible manager → one completed task in that lead, nothing else', () => {
    const plan = planCall(input({ lookup: { leads: [lead({ ownerId: MARIA })], deals: [], contacts: [] } }));
    expect(plan).toMatchObject({ scenario: 'answered-open-lead-or-deal', rule: 'M4' });
    expect(keys(plan)).toEqual(['task-call']);
    const task = op(plan, 'task-call');
    expect(task).toMatchObject({ kind: 'create', rule: 'M4', links: { What_Id: { existing: { module: 'Leads', id: 'L1' } } } });
    expect(task.fields).toMatchObject({ Status: 'Completed', $se_module: 'Leads', Owner: { id: MARIA } });
    expect(task.fields.Description).toContain('Recording: https://rec.example.com/call-1.mp3');
  });

  it('M4: the call goes into the open deal, linked to the deal and its contact', () => {
    const plan = planCall(input({ lookup: { leads: [], deals: [deal({ ownerId: MARIA, contactId: 'C7' })], contacts: [contact({ id: 'C7', ownerId: TARAS })] } }));
    expect(plan.rule).toBe('M4');
    const task = op(plan, 'task-call');
    expect(task.links).toEqual({ What_Id: { existing: { module: 'Deals', id: 'D1' } }, Who_Id: { existing: { module: 'Contacts', id: 'C7' } } });
    expect(task.fields.$se_module).toBe('Deals');
  });

  it('M5: answered by another manager → completed task for them and an open review task for the responsible manager, due in 3 hours', () => {
    const plan = planCall(input({ lookup: { leads: [lead({ ownerId: TARAS })], deals: [], contacts: [] } }));
    expect(plan).toMatchObject({ scenario: 'answered-open-lead-or-deal', rule: 'M5' });
    expect(keys(plan)).toEqual(['task-call', 'task-review']);
    expect(op(plan, 'task-call')).toMatchObject({ rule: 'M5', fields: { Status: 'Completed', Owner: { id: MARIA } } });
    const review = op(plan, 'task-review');
    expect(review).toMatchObject({ rule: 'M5', links: { What_Id: { existing: { module: 'Leads', id: 'L1' } } } });
    // Call ended 12:08:30Z = 14:08 Kyiv; + 180 min = 17:08 the same day.
    expect(review.fields).toMatchObject({
      Subject: `Review call from ${CLIENT} answered by Maria Shevchenko`,
      Status: 'Not Started',
      Due_Date: '2025-01-15',
      Owner: { id: TARAS },
      $se_module: 'Leads',
      Remind_At: { ALARM: 'FREQ=NONE;ACTION=POPUP;TRIGGER=DATE-TIME:2025-01-15T17:08:30+02:00' },
    });
    expect(review.fields.Description).toContain('Due: 2025-01-15 17:08 (Europe/Kyiv)');
    expect(review.fields.Description).toContain('Recording: https://rec.example.com/call-1.mp3');
  });

  it("M5, M7: the responsible manager is no longer an active Zoho user → the review goes to the senior manager; the answering manager keeps the call", () => {
    const active = [SENIOR, MARIA, OKSANA];
    const m5 = planCall(input({ lookup: { leads: [lead({ ownerId: TARAS })], deals: [], contacts: [] }, activeUserIds: active }));
    expect(m5.rule).toBe('M5');
    expect(op(m5, 'task-call').fields).toMatchObject({ Owner: { id: MARIA } });
    expect(op(m5, 'task-review').fields).toMatchObject({ Owner: { id: SENIOR } });

    const m7 = planCall(input({ lookup: { leads: [], deals: [], contacts: [contact({ ownerId: TARAS })] }, activeUserIds: active }));
    expect(m7.rule).toBe('M7');
    expect(op(m7, 'lead').fields).toMatchObject({ Owner: { id: MARIA } });
    expect(op(m7, 'task-review').fields).toMatchObject({ Owner: { id: SENIOR } });

    // No senior manager: nobody to review for; the call is still written, not refused over its review.
    const unowned = planCall(input({ lookup: { leads: [lead({ ownerId: TARAS })], deals: [], contacts: [] }, activeUserIds: active, settings: settings({ seniorManager: undefined }) }));
    expect(keys(unowned)).toEqual(['task-call']);
  });

  it('M5: the review due time follows the configured minutes', () => {
    const plan = planCall(input({ lookup: { leads: [lead()], deals: [], contacts: [] }, settings: settings({ tasks: { reviewDueMinutes: 600 } }) }));
    expect(op(plan, 'task-review').fields.Due_Date).toBe('2025-01-16');
  });
});

describe('incoming call answered, existing contact without open lead/deal', () => {
  it('M6: answered by the contact owner → a lead owned by them and a completed task linked to the lead and the contact', () => {
    const plan = planCall(input({ lookup: { leads: [], deals: [], contacts: [contact({ ownerId: MARIA })] } }));
    expect(plan).toMatchObject({ scenario: 'answered-contact-only', rule: 'M6' });
    expect(keys(plan)).toEqual(['lead', 'task-call']);
    expect(op(plan, 'lead')).toMatchObject({ kind: 'create', rule: 'M6', fields: { Phone: CLIENT, Owner: { id: MARIA } } });
    expect(op(plan, 'task-call')).toMatchObject({
      rule: 'M6',
      fields: { Status: 'Completed', Owner: { id: MARIA }, $se_module: 'Leads' },
      links: { What_Id: { createdBy: 'lead' }, Who_Id: { existing: { module: 'Contacts', id: 'C1' } } },
    });
  });

  it('M7: answered by another manager → they own the new lead and the completed task; the contact owner gets an open task due in 3 hours', () => {
    const plan = planCall(input({ lookup: { leads: [], deals: [], contacts: [contact({ ownerId: OKSANA })] } }));
    expect(plan).toMatchObject({ scenario: 'answered-contact-only', rule: 'M7' });
    expect(keys(plan)).toEqual(['lead', 'task-call', 'task-review']);
    expect(owner(op(plan, 'lead'))).toBe(MARIA);
    expect(op(plan, 'task-call')).toMatchObject({ rule: 'M7', fields: { Status: 'Completed', Owner: { id: MARIA } } });
    expect(op(plan, 'task-review')).toMatchObject({
      rule: 'M7',
      fields: { Status: 'Not Started', Owner: { id: OKSANA }, Due_Date: '2025-01-15' },
      links: { What_Id: { createdBy: 'lead' }, Who_Id: { existing: { module: 'Contacts', id: 'C1' } } },
    });
    expect(String(op(plan, 'task-review').fields.Description)).toContain('Due: 2025-01-15 17:08');
  });
});

describe('answered on a number/SIP that belongs to nobody', () => {
  const unmapped = call({ employee: { sipLogin: 'reception', name: 'Front desk' } });

  it('M3: new client → the lead goes to the senior manager and a check-settings task names the SIP that answered', () => {
    const plan = planCall(input({ call: unmapped }));
    expect(plan).toMatchObject({ scenario: 'answered-new-client', rule: 'M3' });
    expect(keys(plan)).toEqual(['lead', 'task-check-settings']);
    expect(op(plan, 'lead')).toMatchObject({ rule: 'M1', fields: { Owner: { id: SENIOR } } });
    const check = op(plan, 'task-check-settings');
    expect(check).toMatchObject({ rule: 'M3', links: { What_Id: { createdBy: 'lead' } } });
    expect(check.fields).toMatchObject({
      Subject: "Check integration settings: call answered on SIP 'reception' (Front desk)",
      Status: 'Not Started',
      Owner: { id: SENIOR },
    });
    expect(check.fields.Description).toContain('Recording: https://rec.example.com/call-1.mp3');
    expect(check.fields.Description).toContain('sipLogins');
  });

  it('M3: existing lead → check-settings task, and the responsible manager still reviews the call (M5)', () => {
    const plan = planCall(input({ call: call({ employee: { phone: '+380509998877' } }), lookup: { leads: [lead()], deals: [], contacts: [] } }));
    expect(plan.rule).toBe('M3');
    expect(keys(plan)).toEqual(['task-check-settings', 'task-review']);
    expect(op(plan, 'task-check-settings').fields.Subject).toBe('Check integration settings: call answered on number +380509998877');
    expect(op(plan, 'task-review')).toMatchObject({ rule: 'M5', fields: { Owner: { id: TARAS }, Subject: `Review call from ${CLIENT} answered by an unmapped line` } });
  });

  it('M3: contact only → lead on the senior manager, check-settings task, review for the contact owner (M7)', () => {
    const plan = planCall(input({ call: unmapped, lookup: { leads: [], deals: [], contacts: [contact()] } }));
    expect(plan.rule).toBe('M3');
    expect(keys(plan)).toEqual(['lead', 'task-check-settings', 'task-review']);
    expect(owner(op(plan, 'lead'))).toBe(SENIOR);
    expect(owner(op(plan, 'task-review'))).toBe(TARAS);
  });

  it('M3: the telephony did not say who answered → the same check-settings task', () => {
    const plan = planCall(input({ call: call({ employee: undefined }) }));
    expect(plan.rule).toBe('M3');
    expect(op(plan, 'task-check-settings').fields.Subject).toBe('Check integration settings: call answered on a line the telephony did not name');
  });

  it('M3: with no senior manager configured, the task has no Owner (the CRM assigns the integration user)', () => {
    const plan = planCall(input({ call: unmapped, settings: settings({ seniorManager: undefined }) }));
    expect(op(plan, 'task-check-settings').fields).not.toHaveProperty('Owner');
    expect(op(plan, 'lead').fields).not.toHaveProperty('Owner');
    expect(plan.explanation.join('\n')).toContain('none configured');
  });
});

describe('which employee answered', () => {
  it('M1: an employee is recognised by an extra SIP account of another PBX', () => {
    const plan = planCall(input({ call: call({ employee: { sipLogin: 'sip:TARAS@pbx.example.com' } }) }));
    expect(owner(op(plan, 'lead'))).toBe(TARAS);
  });

  it('M1: an employee is recognised by a phone number typed in another format', () => {
    const plan = planCall(input({ call: call({ employee: { phone: '+380671110003' } }) }));
    expect(owner(op(plan, 'lead'))).toBe(OKSANA);
  });

  it('M16: a transferred call is recorded for the first manager only', () => {
    const plan = planCall(input({ call: call({ transferred: true }), lookup: { leads: [lead({ ownerId: MARIA })], deals: [], contacts: [] } }));
    expect(plan.rule).toBe('M4');
    expect(keys(plan)).toEqual(['task-call']);
    expect(owner(op(plan, 'task-call'))).toBe(MARIA);
    expect(op(plan, 'task-call').fields.Description).toContain("Transferred afterwards: this records the first employee's conversation only.");
    expect(plan.explanation.join('\n')).toContain('M16');
  });
});

describe('which records count, and which wins among several', () => {
  it('M1: a converted lead is not an open lead — the caller is a new client', () => {
    const plan = planCall(input({ lookup: { leads: [lead({ converted: true })], deals: [], contacts: [] } }));
    expect(plan.rule).toBe('M1');
    expect(keys(plan)).toEqual(['lead', 'task-call']);
    expect(plan.explanation.join('\n')).toContain('Lead L1 is converted');
  });

  it('M6: a closed deal is not an open deal — its contact makes the caller a contact-only client', () => {
    const plan = planCall(input({
      lookup: { leads: [], deals: [deal({ stage: 'Closed Won', contactId: 'C1' })], contacts: [contact({ ownerId: MARIA })] },
    }));
    expect(plan).toMatchObject({ scenario: 'answered-contact-only', rule: 'M6' });
    expect(plan.explanation.join('\n')).toContain("stage 'Closed Won'");
  });

  it('M4: a deal in an unknown pipeline is open when its stage is open in any pipeline', () => {
    const plan = planCall(input({ lookup: { leads: [], deals: [deal({ ownerId: MARIA, pipeline: 'Retired', stage: 'Offer' })], contacts: [] } }));
    expect(plan.rule).toBe('M4');
  });

  it('M4: lead before deal — an open lead wins over an open deal', () => {
    const plan = planCall(input({ lookup: { leads: [lead({ ownerId: MARIA })], deals: [deal({ ownerId: TARAS })], contacts: [] } }));
    expect(plan.rule).toBe('M4');
    expect(op(plan, 'task-call').links.What_Id).toEqual({ existing: { module: 'Leads', id: 'L1' } });
  });

  it('M5: among several open leads the newest wins', () => {
    const plan = planCall(input({
      lookup: {
        leads: [lead({ id: 'L-old', ownerId: TARAS }), lead({ id: 'L-new', ownerId: OKSANA, createdTime: '2025-01-10T10:00:00Z' })],
        deals: [],
        contacts: [],
      },
    }));
    expect(op(plan, 'task-review')).toMatchObject({ fields: { Owner: { id: OKSANA } }, links: { What_Id: { existing: { module: 'Leads', id: 'L-new' } } } });
    expect(plan.explanation.join('\n')).toContain('Several open leads/deals match');
  });

  it("M4: among several open leads the answering manager's own wins, so nobody reviews their own call", () => {
    const plan = planCall(input({
      lookup: {
        leads: [lead({ id: 'L-maria', ownerId: MARIA }), lead({ id: 'L-new', ownerId: OKSANA, createdTime: '2025-01-10T10:00:00Z' })],
        deals: [],
        contacts: [],
      },
    }));
    expect(plan.rule).toBe('M4');
    expect(op(plan, 'task-call').links.What_Id).toEqual({ existing: { module: 'Leads', id: 'L-maria' } });
  });

  it('M17: an existing client found by any stored format is never created again', () => {
    const plan = planCall(input({ lookup: { leads: [lead({ ownerId: MARIA, name: '098-123-45-67' })], deals: [], contacts: [] } }));
    expect(plan.operations.filter((operation) => operation.kind === 'create' && operation.module !== 'Tasks')).toEqual([]);
  });
});
