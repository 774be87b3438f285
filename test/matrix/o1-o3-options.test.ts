import { BEFORE_CALL_KEYS, planCall, planCallStart } from '../../matrix';
import type { MatrixStartInput } from '../../matrix/input';
import { CLIENT, MARIA, SENIOR, TARAS, call, contact, deal, input, keys, lead, op, owner, settings } from './fixtures';

const withO1 = () => settings({ matrix: { createBeforeCall: true } });
const handingOver = () => settings({ matrix: { createBeforeCall: true, beforeCallOwner: 'answering-manager' } });
const startInput = (overrides: Partial<MatrixStartInput> = {}): MatrixStartInput => {
  const { call: facts, lookup, pipelines, timeZone } = input();
  return { call: facts, lookup, pipelines, timeZone, settings: withO1(), ...overrides };
};

describe('O1: create before the call', () => {
  it('O1: a new client’s ringing call creates a lead and an open task on the senior manager', () => {
    const plan = planCallStart(startInput());
    expect(plan).toMatchObject({ scenario: 'before-call', rule: 'O1' });
    expect(keys(plan)).toEqual([BEFORE_CALL_KEYS.lead, BEFORE_CALL_KEYS.task]);
    expect(op(plan, 'lead')).toMatchObject({ kind: 'create', rule: 'O1', module: 'Leads', fields: { Phone: CLIENT, Owner: { id: SENIOR }, rs_utm_source: 'google' } });
    expect(op(plan, 'task')).toMatchObject({
      kind: 'create',
      rule: 'O1',
      fields: { Subject: `Incoming call from ${CLIENT}`, Status: 'Not Started', Owner: { id: SENIOR }, $se_module: 'Leads' },
      links: { What_Id: { createdBy: 'lead' } },
    });
  });

  it('O1: an existing client’s ringing call creates only the task, in the open lead/deal', () => {
    const plan = planCallStart(startInput({ lookup: { leads: [], deals: [deal({ contactId: 'C1' })], contacts: [contact()] } }));
    expect(keys(plan)).toEqual(['task']);
    expect(op(plan, 'task').links).toEqual({ What_Id: { existing: { module: 'Deals', id: 'D1' } }, Who_Id: { existing: { module: 'Contacts', id: 'C1' } } });
  });

  it('O1: off by default, and never for outgoing calls or in update-existing mode', () => {
    expect(planCallStart(startInput({ settings: settings() })).operations).toEqual([]);
    expect(planCallStart(startInput({ call: call({ direction: 'outgoing' }) })).operations).toEqual([]);
    expect(planCallStart(startInput({ settings: settings({ matrix: { createBeforeCall: true, mode: 'update-existing' } }) })).operations).toEqual([]);
  });

  it('O1 + O3: no lead before the call when no new-client scenario creates one', () => {
    const off = { createLead: false };
    const noLeads = settings({
      matrix: { createBeforeCall: true, scenarios: { 'answered-new-client': off, 'missed-new-client': off, 'voicemail-new-client': off } },
    });
    expect(keys(planCallStart(startInput({ settings: noLeads })))).toEqual(['task']);
  });

  it('O1: after the call, the start lead and task are completed (M1/M2) — status, recording — not created again; the senior manager keeps them by default', () => {
    const plan = planCall(input({
      settings: withO1(),
      lookup: { leads: [lead({ id: 'L-start', ownerId: SENIOR, createdTime: '2025-01-15T12:05:01Z' })], deals: [], contacts: [] },
      createdBeforeCall: { leadId: 'L-start', taskId: 'T-start' },
    }));
    expect(plan.rule).toBe('M1');
    expect(plan.operations.every((operation) => operation.kind === 'update')).toBe(true);
    expect(op(plan, 'lead')).toMatchObject({ kind: 'update', target: { existing: { module: 'Leads', id: 'L-start' } }, rule: 'M1', fields: { rs_utm_source: 'google' } });
    expect(op(plan, 'task-call')).toMatchObject({ kind: 'update', target: { existing: { module: 'Tasks', id: 'T-start' } }, rule: 'M2', fields: { Status: 'Completed' } });
    expect(owner(op(plan, 'lead'))).toBeUndefined();
    expect(owner(op(plan, 'task-call'))).toBeUndefined();
    expect(plan.explanation).toEqual(expect.arrayContaining([expect.stringContaining('the senior manager keeps it (matrix.beforeCallOwner)')]));
  });

  it('O1 handing over (matrix.beforeCallOwner: answering-manager): the start lead and task become the answering manager\'s', () => {
    const plan = planCall(input({
      settings: handingOver(),
      // The lookup after the call finds the lead this call created at start: it must not make the caller "existing".
      lookup: { leads: [lead({ id: 'L-start', ownerId: SENIOR, createdTime: '2025-01-15T12:05:01Z' })], deals: [], contacts: [] },
      createdBeforeCall: { leadId: 'L-start', taskId: 'T-start' },
    }));
    expect(plan.rule).toBe('M1');
    expect(plan.operations.every((operation) => operation.kind === 'update')).toBe(true);
    expect(op(plan, 'lead')).toMatchObject({ kind: 'update', target: { existing: { module: 'Leads', id: 'L-start' } }, rule: 'M1', fields: { Owner: { id: MARIA } } });
    expect(op(plan, 'task-call')).toMatchObject({
      kind: 'update',
      target: { existing: { module: 'Tasks', id: 'T-start' } },
      rule: 'M2',
      fields: { Status: 'Completed', Owner: { id: MARIA } },
      links: { What_Id: { existing: { module: 'Leads', id: 'L-start' } } },
    });
    expect(op(plan, 'task-call').fields.Description).toContain('Recording: https://rec.example.com/call-1.mp3');
  });

  it('O1: after a missed call, the start task becomes the callback (M9) and the lead stays with the senior manager, even handing over', () => {
    const plan = planCall(input({
      settings: handingOver(),
      call: call({ outcome: 'missed', employee: undefined, talkSeconds: 0 }),
      createdBeforeCall: { leadId: 'L-start', taskId: 'T-start' },
    }));
    expect(keys(plan)).toEqual(['lead', 'task-callback']);
    expect(owner(op(plan, 'lead'))).toBe(SENIOR);
    expect(op(plan, 'task-callback')).toMatchObject({ kind: 'update', fields: { Status: 'Not Started', Owner: { id: SENIOR } } });
  });

  it('O1: a start task no rule takes over is marked completed', () => {
    const plan = planCall(input({
      settings: settings({ matrix: { createBeforeCall: true, scenarios: { 'answered-open-lead-or-deal': { completedTask: false, followUpTask: false } } } }),
      lookup: { leads: [lead()], deals: [], contacts: [] },
      createdBeforeCall: { taskId: 'T-start' },
    }));
    expect(plan.operations).toHaveLength(1);
    expect(op(plan, 'task-before-call')).toMatchObject({ kind: 'update', rule: 'O1', target: { existing: { module: 'Tasks', id: 'T-start' } }, fields: { Status: 'Completed' } });
    expect(op(plan, 'task-before-call').fields).not.toHaveProperty('Owner');
  });
});

describe('O2: entities made by another integration', () => {
  const o2 = () => settings({ matrix: { mode: 'update-existing' }, mappings: { Deals: { site_form: 'Form_Name' }, Contacts: { pool_name: 'Pool' } } });
  const fresh = '2025-01-15T12:05:10Z';

  it('O2: never creates; writes UTM and Google client id into the lead made for this call', () => {
    const plan = planCall(input({ settings: o2(), lookup: { leads: [lead({ id: 'L-other', createdTime: fresh })], deals: [], contacts: [] } }));
    expect(plan.rule).toBe('O2');
    expect(plan.scenario).toBe('answered-open-lead-or-deal');
    expect(plan.operations).toEqual([
      {
        kind: 'update',
        key: 'lead',
        rule: 'O2',
        module: 'Leads',
        target: { existing: { module: 'Leads', id: 'L-other' } },
        fields: { rs_utm_source: 'google', rs_utm_medium: 'cpc', rs_utm_campaign: 'spring', rs_google_client_id: 'GA1.2.3' },
        links: {},
      },
    ]);
  });

  it('O2: writes mapped parameters into the deal and contact, and the call story into the task another system made', () => {
    const plan = planCall(input({
      settings: o2(),
      lookup: {
        leads: [],
        deals: [deal({ createdTime: fresh })],
        contacts: [contact({ createdTime: fresh })],
        tasks: [{ id: 'T-other', ownerId: TARAS, createdTime: fresh, status: 'Not Started', what: { module: 'Deals', id: 'D1' } }],
      },
    }));
    expect(keys(plan)).toEqual(['deal', 'contact', 'task']);
    expect(op(plan, 'deal').fields).toEqual({ Form_Name: 'sofa-quiz' });
    expect(op(plan, 'contact').fields).toEqual({ Pool: 'Contextual ads' });
    const task = op(plan, 'task');
    expect(task).toMatchObject({ kind: 'update', target: { existing: { module: 'Tasks', id: 'T-other' } } });
    expect(Object.keys(task.fields)).toEqual(['Description']);
    expect(task.fields.Description).toContain('Recording: https://rec.example.com/call-1.mp3');
  });

  it('O2: records made long before the call keep their own data; with nothing fresh, nothing is written (and nothing created)', () => {
    const plan = planCall(input({ settings: o2(), lookup: { leads: [lead()], deals: [], contacts: [contact()] } }));
    expect(plan.operations).toEqual([]);
    expect(plan.explanation.join('\n')).toContain('nothing is written');
    expect(planCall(input({ settings: o2(), call: call({ outcome: 'missed' }) })).operations).toEqual([]);
  });
});

describe('O3: per-scenario switches', () => {
  it('O3: switching off the lead of M1 leaves only the completed task', () => {
    const plan = planCall(input({ settings: settings({ matrix: { scenarios: { 'answered-new-client': { createLead: false } } } }) }));
    expect(keys(plan)).toEqual(['task-call']);
    expect(op(plan, 'task-call').links).toEqual({});
    expect(plan.explanation.join('\n')).toContain('O3: scenario switches change createLead → false');
  });

  it('O3: switching off the M5 review keeps the completed task only', () => {
    const plan = planCall(input({
      settings: settings({ matrix: { scenarios: { 'answered-open-lead-or-deal': { followUpTask: false } } } }),
      lookup: { leads: [lead()], deals: [], contacts: [] },
    }));
    expect(keys(plan)).toEqual(['task-call']);
  });

  it('O3: switching off the M8 callback leaves nothing to write', () => {
    const plan = planCall(input({
      settings: settings({ matrix: { scenarios: { 'missed-existing-client': { followUpTask: false } } } }),
      call: call({ outcome: 'missed' }),
      lookup: { leads: [lead()], deals: [], contacts: [] },
    }));
    expect(plan.operations).toEqual([]);
  });

  it('O3: M11 can be switched to create a lead owned by the calling manager', () => {
    const plan = planCall(input({
      settings: settings({ matrix: { scenarios: { 'outgoing-unknown': { createLead: true, completedTask: true } } } }),
      call: call({ direction: 'outgoing' }),
    }));
    expect(keys(plan)).toEqual(['lead', 'task-call']);
    expect(owner(op(plan, 'lead'))).toBe(MARIA);
    expect(op(plan, 'task-call')).toMatchObject({ rule: 'M11', links: { What_Id: { createdBy: 'lead' } } });
  });

  it('O3: with contact and deal switched on, M1 creates contact, lead and deal, the deal linked to the contact', () => {
    const plan = planCall(input({ settings: settings({ matrix: { scenarios: { 'answered-new-client': { createContact: true, createDeal: true } } } }) }));
    expect(keys(plan)).toEqual(['contact', 'lead', 'deal', 'task-call']);
    expect(op(plan, 'contact')).toMatchObject({ rule: 'M1', fields: { Last_Name: 'Call from +380 98 123 4567', Phone: CLIENT, Owner: { id: MARIA } } });
    expect(op(plan, 'deal')).toMatchObject({
      rule: 'M1',
      fields: { Deal_Name: 'Call from +380 98 123 4567', Pipeline: 'Standard', Stage: 'Qualification', Owner: { id: MARIA } },
      links: { Contact_Name: { createdBy: 'contact' } },
    });
    expect(op(plan, 'task-call').links).toEqual({ What_Id: { createdBy: 'lead' }, Who_Id: { createdBy: 'contact' } });
  });

  it('O3: a deal instead of a lead — the task goes into the deal', () => {
    const plan = planCall(input({ settings: settings({ matrix: { scenarios: { 'answered-new-client': { createLead: false, createDeal: true } } } }) }));
    expect(keys(plan)).toEqual(['deal', 'task-call']);
    expect(op(plan, 'task-call')).toMatchObject({ fields: { $se_module: 'Deals' }, links: { What_Id: { createdBy: 'deal' } } });
  });

  it('O3: an existing contact is never duplicated when createContact is on (M17)', () => {
    const plan = planCall(input({
      settings: settings({ matrix: { scenarios: { 'answered-contact-only': { createContact: true } } } }),
      lookup: { leads: [], deals: [], contacts: [contact({ ownerId: MARIA })] },
    }));
    expect(keys(plan)).toEqual(['lead', 'task-call']);
  });
});
