import { planCall } from '../../matrix';
import { CLIENT, MARIA, call, input, keys, op, owner } from './fixtures';

describe('incoming call answered, new client', () => {
  const plan = planCall(input());

  it('M1: creates a lead owned by the answering manager, phone in E.164, with UTM and Google client id', () => {
    expect(plan.scenario).toBe('answered-new-client');
    expect(plan.rule).toBe('M1');
    const lead = op(plan, 'lead');
    expect(lead).toMatchObject({ kind: 'create', rule: 'M1', module: 'Leads' });
    expect(owner(lead)).toBe(MARIA);
    expect(lead.fields).toMatchObject({
      Last_Name: 'Call from +380 98 123 4567',
      Phone: CLIENT,
      Lead_Source: 'Advertisement',
      rs_utm_source: 'google',
      rs_utm_medium: 'cpc',
      rs_utm_campaign: 'spring',
      rs_google_client_id: 'GA1.2.3',
    });
    expect(lead.fields).not.toHaveProperty('rs_utm_term');
    expect(lead.fields.Description).toContain('Landing page: https://shop.example.com/sofas');
    expect(lead.fields.Description).toContain('Number pool: Contextual ads');
  });

  it('M2: adds a completed task on the answering manager, linked to the new lead, with recording and visit data', () => {
    expect(keys(plan)).toEqual(['lead', 'task-call']);
    const task = op(plan, 'task-call');
    expect(task).toMatchObject({ kind: 'create', rule: 'M2', module: 'Tasks', links: { What_Id: { createdBy: 'lead' } } });
    expect(task.fields).toMatchObject({
      Subject: `Call from ${CLIENT}: answered (2:05)`,
      Status: 'Completed',
      Due_Date: '2025-01-15',
      $se_module: 'Leads',
      Owner: { id: MARIA },
    });
    const description = String(task.fields.Description);
    for (const expected of [
      'Call: incoming, answered (talk 2:05, total 3:30)',
      'Time: 2025-01-15 14:05 (Europe/Kyiv)',
      `From: ${CLIENT}`,
      'To: +380443334455',
      'Answered by: Maria Shevchenko',
      'Recording: https://rec.example.com/call-1.mp3',
      'UTM: source: google, medium: cpc, campaign: spring',
      'Google client id: GA1.2.3',
    ]) {
      expect(description).toContain(expected);
    }
    expect(task.fields).not.toHaveProperty('Remind_At');
  });

  it('M2: a completed task is dated in the account time zone, not UTC', () => {
    const late = planCall(input({ call: call({ startedAt: '2025-01-15T22:30:00Z', endedAt: '2025-01-15T22:35:00Z' }) }));
    expect(op(late, 'task-call').fields.Due_Date).toBe('2025-01-16');
  });
});
