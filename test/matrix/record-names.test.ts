/** Issue 13, item 6: what new records are called (newRecords.nameTemplate, phoneStyle) and their Lead_Source (D2). */
import { planCall } from '../../matrix';
import { settingsSchema } from '../../matrix/settings-schema';
import { call, input, op, settings } from './fixtures';

const created = (overrides: Record<string, unknown>, outgoing = false) => {
  const scenario = outgoing ? 'outgoing-unknown' : 'answered-new-client';
  const s = settings({ ...overrides, matrix: { scenarios: { [scenario]: { createLead: true, createContact: true, createDeal: true, completedTask: true } } } });
  const plan = planCall(input({ settings: s, call: outgoing ? call({ direction: 'outgoing' }) : call() }));
  return { lead: op(plan, 'lead').fields, contact: op(plan, 'contact').fields, deal: op(plan, 'deal').fields };
};

describe('new records: names and source', () => {
  it('by default "Call from" the number written internationally, and a Lead Source a new Zoho org has; Phone stays E.164', () => {
    const { lead, contact, deal } = created({});
    expect(lead).toMatchObject({ Last_Name: 'Call from +380 98 123 4567', Phone: '+380981234567', Lead_Source: 'Advertisement' });
    expect(contact).toMatchObject({ Last_Name: 'Call from +380 98 123 4567', Lead_Source: 'Advertisement' });
    expect(deal).toMatchObject({ Deal_Name: 'Call from +380 98 123 4567', Lead_Source: 'Advertisement' });
    expect(created({}, true).deal).toMatchObject({ Deal_Name: 'Call to +380 98 123 4567' });
  });

  it('national style writes home-country numbers nationally and others internationally; e164 as stored', () => {
    const national = { newRecords: { phoneStyle: 'national' } };
    expect(created(national).lead.Last_Name).toBe('Call from 098 123 4567');
    const abroad = planCall(input({ settings: settings(national), call: call({ clientPhone: '+14155550100' }) }));
    expect(op(abroad, 'lead').fields.Last_Name).toBe('Call from +1 415 555 0100');
    expect(created({ newRecords: { phoneStyle: 'e164' } }).lead.Last_Name).toBe('Call from +380981234567');
  });

  it('a template and a source of the admin\'s own', () => {
    const { lead, deal } = created({ newRecords: { nameTemplate: 'Ringostat: {phone} ({direction} site)', leadSource: 'Ringostat' } });
    expect(lead).toMatchObject({ Last_Name: 'Ringostat: +380 98 123 4567 (from site)', Lead_Source: 'Ringostat' });
    expect(deal).toMatchObject({ Deal_Name: 'Ringostat: +380 98 123 4567 (from site)' });
  });

  it('refuses an unknown placeholder or style, naming the field', () => {
    const bad = settingsSchema.safeParse({ newRecords: { nameTemplate: 'Call from {number}', phoneStyle: 'local' } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['newRecords.nameTemplate', 'unknown placeholder; use {phone} and {direction}'],
      ['newRecords.phoneStyle', expect.stringContaining('international')],
    ]);
  });
});
