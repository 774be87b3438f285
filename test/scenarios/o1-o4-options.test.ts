/**
 * The options: records created while the call rings (O1), entities made by another integration updated instead of
 * created (O2), per-scenario switches (O3) and the round robin of missed calls from new clients (O4).
 */
import { demoSettings } from '../support/call-harness';
import {
  CLIENT,
  endOnly,
  eventually,
  expectCrm,
  incomingCall,
  linkedTo,
  minutesAgo,
  missedCall,
  owner,
  ringing,
  runCall,
  seedContact,
  seedDeal,
  seedLead,
  seedTask,
  settings,
  useScenarioHarness,
} from './scenario-kit';

const harness = useScenarioHarness();

describe('O1: create before the call', () => {
  it.each([
    ['senior-manager', 'senior'],
    ['answering-manager', 'ivan'],
  ] as const)('O1 (beforeCallOwner %s): start → lead and open task on the senior manager while it rings; answer → end → the same lead and task, completed, owned by %s', async (beforeCallOwner, finalOwner) => {
    const h = harness();
    settings(h, { matrix: { createBeforeCall: true, beforeCallOwner } });
    const callId = h.uniqueCallId();
    const call = incomingCall(callId);

    expect(await h.send('start', ringing(call))).toMatchObject({ status: 200 });
    const whileRinging = await eventually(async () => {
      const [leads, tasks] = await Promise.all([h.records('Leads'), h.records('Tasks')]);
      return leads.length === 1 && tasks.length === 1 ? { lead: leads[0], task: tasks[0] } : undefined;
    });
    expect(whileRinging.lead).toMatchObject({ Phone: CLIENT, Owner: owner(h.users.senior.id), rs_utm_source: 'google' });
    expect(whileRinging.task).toMatchObject({ Status: 'Not Started', Owner: owner(h.users.senior.id), ...linkedTo({ module: 'Leads', id: String(whileRinging.lead.id) }) });

    const view = await runCall(h, callId, [
      ['answer', { ...ringing(call), connected_with: 'ivan' }],
      ['end', call],
    ]);
    expect(view).toMatchObject({ status: 'written', plan: { rule: 'M1' } });
    const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
    expect(crm.Leads[0]).toMatchObject({ id: whileRinging.lead.id, Owner: owner(h.users[finalOwner].id), rs_utm_source: 'google' });
    expect(crm.Tasks[0]).toMatchObject({ id: whileRinging.task.id, Status: 'Completed', Owner: owner(h.users[finalOwner].id), ...linkedTo({ module: 'Leads', id: String(whileRinging.lead.id) }) });
    expect(crm.Tasks[0].Description).toContain(`Recording: https://records.example.com/${callId}.mp3`);
    expect(crm.Tasks[0].Description).toContain('Answered by: Ivan Petrenko');
  });

  it('O1: a new client\'s call that is missed keeps the early lead on the senior manager; the early task becomes the callback', async () => {
    const h = harness();
    settings(h, { matrix: { createBeforeCall: true } });
    const callId = h.uniqueCallId();
    const call = missedCall(callId);
    await h.send('start', ringing(call));
    await eventually(async () => ((await h.records('Tasks')).length === 1 ? true : undefined));
    const view = await runCall(h, callId, [['end', call]]);
    expect(view.plan?.rule).toBe('M9');

    const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
    expect(crm.Leads[0]).toMatchObject({ Owner: owner(h.users.senior.id) });
    expect(crm.Tasks[0]).toMatchObject({ Subject: `Call back ${CLIENT}: missed call`, Status: 'Not Started', Owner: owner(h.users.senior.id), ...linkedTo({ module: 'Leads', id: String(crm.Leads[0].id) }) });
  });

  it("O1 handing over: an existing client's call makes no early lead; the early task in the client's lead becomes the answering manager's, plus the owner's review (M5)", async () => {
    const h = harness();
    settings(h, { matrix: { createBeforeCall: true, beforeCallOwner: 'answering-manager' } });
    const leadId = await seedLead(h, { ownerId: h.users.maria.id });
    const callId = h.uniqueCallId();
    const call = incomingCall(callId);
    await h.send('start', ringing(call));
    const early = await eventually(async () => (await h.records('Tasks'))[0]);
    expect(early).toMatchObject({ Owner: owner(h.users.senior.id), ...linkedTo({ module: 'Leads', id: leadId }) });
    const view = await runCall(h, callId, [['end', call]]);
    expect(view.plan?.rule).toBe('M5');

    const crm = await expectCrm(h, { Leads: 1, Tasks: 2 });
    expect(crm.Tasks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: early.id, Status: 'Completed', Owner: owner(h.users.ivan.id), ...linkedTo({ module: 'Leads', id: leadId }) }),
        expect.objectContaining({ Status: 'Not Started', Owner: owner(h.users.maria.id), ...linkedTo({ module: 'Leads', id: leadId }) }),
      ]),
    );
  });
});

describe('O2: entities made by another integration', () => {
  it('O2: the lead and task another system made at pickup get the call data; nothing is created, older records are left alone', async () => {
    const h = harness();
    settings(h, { matrix: { mode: 'update-existing' }, mappings: { Leads: { pool_name: 'rs_pool_name' } } });
    const oldLead = await seedLead(h, { phone: '067 123 45 67', ownerId: h.users.maria.id, createdTime: minutesAgo(2 * 24 * 60) });
    const leadId = await seedLead(h, { phone: '+38-067-123-4567', ownerId: h.users.andrii.id, createdTime: minutesAgo(1) });
    const taskId = await seedTask(h, { what: { module: 'Leads', id: leadId }, ownerId: h.users.andrii.id, subject: 'Incoming call (other system)', createdTime: minutesAgo(1) });
    const callId = h.uniqueCallId();
    const view = await endOnly(h, incomingCall(callId));
    expect(view).toMatchObject({ status: 'written', plan: { rule: 'O2' } });

    const crm = await expectCrm(h, { Leads: 2, Tasks: 1 });
    expect(crm.Leads.find((lead) => lead.id === leadId)).toMatchObject({
      Phone: '+38-067-123-4567',
      Owner: owner(h.users.andrii.id),
      rs_utm_source: 'google',
      rs_utm_medium: 'cpc',
      rs_utm_campaign: 'spring',
      rs_google_client_id: 'GA1.2.345',
      rs_pool_name: 'Contextual ads',
    });
    expect(crm.Leads.find((lead) => lead.id === oldLead)).toMatchObject({ Owner: owner(h.users.maria.id), rs_utm_source: null, rs_pool_name: null });
    const [task] = crm.Tasks;
    expect(task).toMatchObject({ id: taskId, Subject: 'Incoming call (other system)', Status: 'Not Started', Owner: owner(h.users.andrii.id) });
    expect(task.Description).toContain(`Recording: https://records.example.com/${callId}.mp3`);
    expect(task.Description).toContain('Answered by: Ivan Petrenko');
  });

  it('O2: a deal, its contact and the deal\'s task made for the call get their mapped fields and the call story', async () => {
    const h = harness();
    settings(h, { matrix: { mode: 'update-existing' }, mappings: { Deals: { pool_name: 'rs_pool_name' }, Contacts: { landing: 'rs_landing' } } });
    const contactId = await seedContact(h, { phone: '380671234567', ownerId: h.users.maria.id, createdTime: minutesAgo(1) });
    const dealId = await seedDeal(h, { contactId, ownerId: h.users.maria.id, createdTime: minutesAgo(1) });
    const taskId = await seedTask(h, { what: { module: 'Deals', id: dealId }, ownerId: h.users.maria.id, subject: 'Call (other system)', createdTime: minutesAgo(1) });
    const view = await endOnly(h, missedCall(h.uniqueCallId()));
    expect(view.plan?.rule).toBe('O2');

    const crm = await expectCrm(h, { Contacts: 1, Deals: 1, Tasks: 1 });
    expect(crm.Deals[0]).toMatchObject({ id: dealId, rs_pool_name: 'Contextual ads', Owner: owner(h.users.maria.id) });
    expect(crm.Contacts[0]).toMatchObject({ id: contactId, rs_landing: 'https://shop.example.com/sofas' });
    expect(crm.Tasks[0]).toMatchObject({ id: taskId, Subject: 'Call (other system)', Status: 'Not Started' });
    expect(crm.Tasks[0].Description).toContain('Call: incoming, missed');
  });

  it('C4, O2: a lead converted just now is not the lead made for this call; nothing is written into it', async () => {
    const h = harness();
    settings(h, { matrix: { mode: 'update-existing' } });
    const convertedId = await seedLead(h, { ownerId: h.users.maria.id, createdTime: minutesAgo(1), fields: { Converted__s: true } });
    const view = await endOnly(h, incomingCall(h.uniqueCallId()));
    expect(view).toMatchObject({ status: 'ignored', plan: { rule: 'O2', operations: [] } });
    const crm = await expectCrm(h, { Leads: 1 });
    expect(crm.Leads[0]).toMatchObject({ id: convertedId, Converted__s: true, rs_utm_source: null });
  });

  it('O2: nothing made for this call → nothing is written, and nothing is created', async () => {
    const h = harness();
    settings(h, { matrix: { mode: 'update-existing' } });
    await seedLead(h, { ownerId: h.users.maria.id, createdTime: minutesAgo(60) });
    const view = await endOnly(h, incomingCall(h.uniqueCallId()));
    expect(view).toMatchObject({ status: 'ignored', plan: { rule: 'O2', operations: [] } });
    const crm = await expectCrm(h, { Leads: 1 });
    expect(crm.Leads[0]).toMatchObject({ rs_utm_source: null });
  });
});

describe('O3: per-scenario switches', () => {
  it('O3: M1 with a contact and a deal switched on → lead, contact and deal on the answering manager, linked, and the completed task', async () => {
    const h = harness();
    settings(h, { matrix: { scenarios: { 'answered-new-client': { createContact: true, createDeal: true } } } });
    const view = await endOnly(h, incomingCall(h.uniqueCallId(), { pool_name: 'SEO' }));
    expect(view.plan?.rule).toBe('M1');

    const crm = await expectCrm(h, { Leads: 1, Contacts: 1, Deals: 1, Tasks: 1 });
    const [lead, contact, deal] = [crm.Leads[0], crm.Contacts[0], crm.Deals[0]];
    expect(lead).toMatchObject({ Phone: CLIENT, Owner: owner(h.users.ivan.id) });
    expect(contact).toMatchObject({ Phone: CLIENT, Last_Name: 'Call from +380 67 123 4567', Owner: owner(h.users.ivan.id) });
    expect(deal).toMatchObject({ Deal_Name: 'Call from +380 67 123 4567', Pipeline: 'Standard', Stage: 'Qualification', Owner: owner(h.users.ivan.id), Contact_Name: expect.objectContaining({ id: contact.id }) });
    expect(crm.Tasks[0]).toMatchObject({ Status: 'Completed', Owner: owner(h.users.ivan.id), ...linkedTo({ module: 'Leads', id: String(lead.id) }, String(contact.id)) });
  });

  it('O3: the review task of M5 switched off → only the completed task', async () => {
    const h = harness();
    settings(h, { matrix: { scenarios: { 'answered-open-lead-or-deal': { followUpTask: false } } } });
    const leadId = await seedLead(h, { ownerId: h.users.maria.id });
    await endOnly(h, incomingCall(h.uniqueCallId()));
    const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
    expect(crm.Tasks[0]).toMatchObject({ Status: 'Completed', Owner: owner(h.users.ivan.id), ...linkedTo({ module: 'Leads', id: leadId }) });
  });

  it("O3: M9's lead switched off → only the callback task on the senior manager", async () => {
    const h = harness();
    settings(h, { matrix: { scenarios: { 'missed-new-client': { createLead: false } } } });
    const view = await endOnly(h, missedCall(h.uniqueCallId()));
    expect(view.plan?.rule).toBe('M9');
    const crm = await expectCrm(h, { Tasks: 1 });
    expect(crm.Tasks[0]).toMatchObject({ Status: 'Not Started', Owner: owner(h.users.senior.id), ...linkedTo(null) });
  });

  it('O3: everything switched off for missed calls from existing clients → nothing written', async () => {
    const h = harness();
    settings(h, { matrix: { scenarios: { 'missed-existing-client': { followUpTask: false } } } });
    await seedLead(h, { ownerId: h.users.maria.id });
    const view = await endOnly(h, missedCall(h.uniqueCallId()));
    expect(view).toMatchObject({ status: 'ignored', plan: { rule: 'M8', operations: [] } });
    await expectCrm(h, { Leads: 1 });
  });
});

describe('O4: missed-call distribution', () => {
  it('O4: missed calls from new clients go to the flagged managers in turn — fair across a worker restart and under concurrency; existing clients keep their manager', async () => {
    const h = harness();
    const base = demoSettings(h.users);
    settings(h, { employees: base.employees.map((e) => ({ ...e, missedCallDistribution: e.code !== '101' })) });
    const pool = [h.users.maria.id, h.users.andrii.id];
    const caller = (n: number) => `+38067000${String(n).padStart(4, '0')}`;
    const missedFromNew = (n: number) => endOnly(h, missedCall(h.uniqueCallId(), { caller: caller(n) }));
    const ownerOfLead = async (n: number) => {
      const lead = (await h.records('Leads')).find((l) => l.Phone === caller(n));
      return String((lead?.Owner as { id: string }).id);
    };

    const sequence: string[] = [];
    for (const n of [1, 2]) {
      expect((await missedFromNew(n)).plan?.distribution).toBeDefined();
      sequence.push(await ownerOfLead(n));
    }
    // A missed call from an existing client goes to its manager and does not use a turn.
    const existing = await seedLead(h, { phone: caller(99), ownerId: h.users.ivan.id });
    expect((await missedFromNew(99)).plan).toMatchObject({ rule: 'M8' });
    await h.restartWorker();
    for (const n of [3, 4]) {
      await missedFromNew(n);
      sequence.push(await ownerOfLead(n));
    }
    // The counter is the harness's own (one per task queue), so it starts at the first flagged employee.
    expect(sequence).toEqual([...pool, ...pool]);

    await Promise.all([5, 6, 7, 8].map(missedFromNew));
    const crm = await expectCrm(h, { Leads: 9, Tasks: 9 });
    const newLeads = crm.Leads.filter((lead) => lead.id !== existing);
    const count = (records: Record<string, unknown>[], id: string) => records.filter((r) => (r.Owner as { id: string }).id === id).length;
    expect(pool.map((id) => count(newLeads, id))).toEqual([4, 4]);
    for (const lead of newLeads) {
      const task = crm.Tasks.find((t) => (t.What_Id as { id: string } | null)?.id === lead.id);
      expect(task).toMatchObject({ Status: 'Not Started', Owner: owner((lead.Owner as { id: string }).id) });
    }
    expect(crm.Tasks.find((t) => (t.What_Id as { id: string } | null)?.id === existing)).toMatchObject({ Owner: owner(h.users.ivan.id) });
    expect(count(crm.Leads, h.users.senior.id)).toBe(0);
  });
});
