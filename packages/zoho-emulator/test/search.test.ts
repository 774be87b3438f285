import { createdId, startHarness, type Harness } from './harness';

describe('emulator: search API', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.emulator.close());
  beforeEach(() => h.admin.reset());

  const search = (module: string, params: Record<string, string | number>) => h.api.get(`/${module}/search`, { params });
  const lastNames = (response: { data: { data: { Last_Name: string }[] } }) => response.data.data.map((r) => r.Last_Name).sort();

  it('matches ?phone= as the exact stored string across every phone field', async () => {
    await h.admin.seedRecords('Leads', [
      { Last_Name: 'Spaced', Phone: '098 123 45 67' },
      { Last_Name: 'Mobile', Mobile: '+380981234567' },
    ]);
    await h.admin.seedRecords('Contacts', [{ Last_Name: 'Home', Home_Phone: '+380981234567' }]);

    expect(lastNames(await search('Leads', { phone: '098 123 45 67' }))).toEqual(['Spaced']);
    expect(lastNames(await search('Leads', { phone: '+380981234567' }))).toEqual(['Mobile']);
    expect(lastNames(await search('Contacts', { phone: '+380981234567' }))).toEqual(['Home']);
    const none = await search('Leads', { phone: '0981234567' });
    expect(none.status).toBe(204);
    expect(none.data).toBe('');
  });

  it('can compare digits only instead, to test clients against both behaviours', async () => {
    await h.admin.seedRecords('Leads', [{ Last_Name: 'Spaced', Phone: '098 123 45 67' }]);
    await h.admin.updateSettings({ phoneSearch: 'digits' });
    expect(lastNames(await search('Leads', { phone: '0981234567' }))).toEqual(['Spaced']);
  });

  it('treats criteria equals on text as contains, and supports and/or, starts_with, in', async () => {
    await h.admin.seedRecords('Leads', [
      { Last_Name: 'A', Company: 'ABC Inc', Lead_Source: 'Chat', Phone: '+1' },
      { Last_Name: 'B', Company: 'Other', Lead_Source: 'Chat' },
      { Last_Name: 'C', Company: 'ABD', Lead_Source: 'Partner' },
    ]);
    expect(lastNames(await search('Leads', { criteria: '(Company:equals:ABC)' }))).toEqual(['A']);
    expect(lastNames(await search('Leads', { criteria: '((Company:starts_with:AB)and(Lead_Source:equals:Partner))' }))).toEqual(['C']);
    expect(lastNames(await search('Leads', { criteria: '((Company:equals:Other)or(Company:equals:ABD))' }))).toEqual(['B', 'C']);
    expect(lastNames(await search('Leads', { criteria: '(Lead_Source:in:Chat,Partner)' }))).toEqual(['A', 'B', 'C']);
    expect(lastNames(await search('Leads', { criteria: '(Phone:equals:+1)' }))).toEqual(['A']);
  });

  it('rejects bad criteria, short words and missing parameters', async () => {
    const operator = await search('Leads', { criteria: '(Company:contains:ABC)' });
    expect(operator.status).toBe(400);
    expect(operator.data).toMatchObject({ code: 'INVALID_QUERY', details: { api_name: 'Company', operator: 'contains' } });
    expect((await search('Leads', { criteria: '(Nope:equals:x)' })).data.code).toBe('INVALID_QUERY');
    expect((await search('Leads', { word: 'a' })).data.code).toBe('INVALID_DATA');
    const missing = await search('Leads', {});
    expect(missing.status).toBe(400);
    expect(missing.data.code).toBe('EXPECTED_PARAM_MISSING');
    expect((await search('Leads', { phone: '12', page: 11, per_page: 200 })).data.code).toBe('LIMIT_REACHED');
  });

  it('searches email and word, and honours fields', async () => {
    await h.admin.seedRecords('Contacts', [{ Last_Name: 'Koval', First_Name: 'Iryna', Email: 'Iryna@Example.com' }]);
    const byEmail = await search('Contacts', { email: 'iryna@example.com', fields: 'Last_Name' });
    expect(byEmail.data.data).toEqual([{ id: expect.any(String), Last_Name: 'Koval' }]);
    expect(byEmail.data.info).toMatchObject({ count: 1, page: 1, more_records: false });
    expect(lastNames(await search('Contacts', { word: 'iryna' }))).toEqual(['Koval']);
  });

  it('hides converted leads unless asked', async () => {
    await h.admin.seedRecords('Leads', [{ Last_Name: 'Done', Phone: '+380501111111', Converted__s: true }]);
    expect((await search('Leads', { phone: '+380501111111' })).status).toBe(204);
    expect(lastNames(await search('Leads', { phone: '+380501111111', converted: 'both' }))).toEqual(['Done']);
  });

  it('lags behind writes by the index lag, while COQL sees them at once', async () => {
    await h.admin.updateSettings({ searchIndexLagMs: 60_000 });
    const id = createdId(await h.api.post('/Leads', { data: [{ Last_Name: 'Fresh', Phone: '+380671110000' }] }));
    expect((await search('Leads', { phone: '+380671110000' })).status).toBe(204);
    const coql = await h.api.post('/coql', { select_query: "select Last_Name from Leads where Phone = '+380671110000'" });
    expect(coql.data.data).toEqual([{ Last_Name: 'Fresh', id }]);

    await h.admin.advanceClock(60_000);
    expect(lastNames(await search('Leads', { phone: '+380671110000' }))).toEqual(['Fresh']);

    await h.api.put(`/Leads/${id}`, { data: [{ Phone: '+380671119999' }] });
    expect(lastNames(await search('Leads', { phone: '+380671110000' }))).toEqual(['Fresh']);
    expect((await search('Leads', { phone: '+380671119999' })).status).toBe(204);
    await h.admin.advanceClock(60_000);
    expect((await search('Leads', { phone: '+380671110000' })).status).toBe(204);
    expect(lastNames(await search('Leads', { phone: '+380671119999' }))).toEqual(['Fresh']);
  });
});
