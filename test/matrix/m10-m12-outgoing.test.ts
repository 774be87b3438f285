import { planCall } from '../../matrix';
import { CLIENT, MARIA, SENIOR, TARAS, call, contact, deal, input, keys, lead, op } from './fixtures';

const outgoing = call({ direction: 'outgoing', companyNumber: '+380443334400' });

describe('outgoing call by a manager', () => {
  it('M10: to a client with an open lead → a completed task with the recording and the call status in that lead', () => {
    const plan = planCall(input({ call: outgoing, lookup: { leads: [lead({ ownerId: MARIA })], deals: [], contacts: [] } }));
    expect(plan).toMatchObject({ scenario: 'outgoing-open-lead-or-deal', rule: 'M10' });
    expect(keys(plan)).toEqual(['task-call']);
    const task = op(plan, 'task-call');
    expect(task).toMatchObject({ rule: 'M10', links: { What_Id: { existing: { module: 'Leads', id: 'L1' } } } });
    expect(task.fields).toMatchObject({ Subject: `Call to ${CLIENT}: answered (2:05)`, Status: 'Completed', Owner: { id: MARIA } });
    const description = String(task.fields.Description);
    expect(description).toContain('Call: outgoing, answered');
    expect(description).toContain('From: +380443334400');
    expect(description).toContain(`To: ${CLIENT}`);
    expect(description).toContain('Called by: Maria Shevchenko');
  });

  it("M10: the client did not pick up → the completed task says so; another manager's deal gets no review task", () => {
    const plan = planCall(input({
      call: { ...outgoing, outcome: 'missed', talkSeconds: 0, recordingUrl: undefined },
      lookup: { leads: [], deals: [deal({ ownerId: TARAS })], contacts: [] },
    }));
    expect(keys(plan)).toEqual(['task-call']);
    expect(op(plan, 'task-call').fields).toMatchObject({ Subject: `Call to ${CLIENT}: no answer`, Owner: { id: MARIA }, $se_module: 'Deals' });
    expect(op(plan, 'task-call').fields.Description).toContain('Call: outgoing, no answer');
  });

  it('M11: to an unknown number → nothing is created', () => {
    const plan = planCall(input({ call: outgoing }));
    expect(plan).toMatchObject({ scenario: 'outgoing-unknown', rule: 'M11', operations: [] });
  });

  it('M11: even from an unmapped line, nothing is created', () => {
    const plan = planCall(input({ call: { ...outgoing, employee: { sipLogin: 'ghost' } } }));
    expect(plan).toMatchObject({ rule: 'M11', operations: [] });
  });

  it('M12: to a client with only a contact → a task on the calling manager with the recording, linked to the contact; no lead/deal', () => {
    const plan = planCall(input({ call: outgoing, lookup: { leads: [], deals: [], contacts: [contact()] } }));
    expect(plan).toMatchObject({ scenario: 'outgoing-contact-only', rule: 'M12' });
    expect(keys(plan)).toEqual(['task-call']);
    expect(op(plan, 'task-call')).toMatchObject({
      rule: 'M12',
      fields: { Status: 'Completed', Owner: { id: MARIA } },
      links: { Who_Id: { existing: { module: 'Contacts', id: 'C1' } } },
    });
  });

  it('M3: an outgoing call to a known client from a line that belongs to nobody → check-settings task on the senior manager', () => {
    const plan = planCall(input({ call: { ...outgoing, employee: { sipLogin: 'ghost' } }, lookup: { leads: [lead()], deals: [], contacts: [] } }));
    expect(plan.rule).toBe('M3');
    expect(keys(plan)).toEqual(['task-check-settings']);
    expect(op(plan, 'task-check-settings').fields).toMatchObject({
      Subject: "Check integration settings: call placed from SIP 'ghost'",
      Owner: { id: SENIOR },
    });
  });
});
