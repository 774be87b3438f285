import { crmClient, startHarness, type Harness } from './harness';

/** Zoho's Create Custom Fields call (A4): API-name rules, duplicates, the per-module limit by edition, the scope. */
describe('emulator: POST /settings/fields', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ customFields: 'none', edition: 'standard' });
  });
  afterAll(() => h.emulator.close());

  const create = (fields: unknown[], module = 'Leads') => h.api.post('/settings/fields', { fields }, { params: { module } });
  const leadFields = async () => (await h.api.get('/settings/fields', { params: { module: 'Leads' } })).data.fields as { id: string; api_name: string; data_type: string; custom_field: boolean; length: number }[];

  it('creates a String field under the API name given, which records then accept', async () => {
    const response = await create([{ field_label: 'UTM source', api_name: 'rs_utm_source', data_type: 'text', length: 255 }]);
    expect(response.status).toBe(201);
    expect(response.data.fields).toEqual([{ code: 'SUCCESS', details: { id: expect.stringMatching(/^\d+$/) }, message: 'field created', status: 'success' }]);
    const field = (await leadFields()).find((f) => f.api_name === 'rs_utm_source');
    expect(field).toMatchObject({ id: response.data.fields[0].details.id, data_type: 'text', custom_field: true, length: 255 });
    const lead = await h.api.post('/Leads', { data: [{ Last_Name: 'x', rs_utm_source: 'google' }] });
    expect(lead.status).toBe(201);
  });

  it('derives the API name from the label when none is given', async () => {
    expect((await create([{ field_label: 'Landing page', data_type: 'text' }])).status).toBe(201);
    expect((await leadFields()).map((f) => f.api_name)).toContain('Landing_page');
  });

  it('refuses bad API names, labels, types and lengths, per field, in Zoho’s shape', async () => {
    const response = await create([
      { field_label: 'A', api_name: '1st', data_type: 'text' },
      { field_label: 'B', api_name: 'rs__x', data_type: 'text' },
      { field_label: 'C', api_name: 'trailing_', data_type: 'text' },
      { field_label: 'D', data_type: 'picklist' },
      { field_label: 'E', data_type: 'text', length: 256 },
    ]);
    expect(response.status).toBe(400);
    expect(response.data.fields.map((r: { code: string; details: { api_name: string } }) => [r.code, r.details.api_name])).toEqual([
      ['INVALID_DATA', 'api_name'],
      ['INVALID_DATA', 'api_name'],
      ['INVALID_DATA', 'api_name'],
      ['INVALID_DATA', 'data_type'],
      ['INVALID_DATA', 'length'],
    ]);
    expect((await create([{ data_type: 'text' }])).data.fields[0]).toMatchObject({ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'field_label' }, status: 'error' });
    expect((await create([])).data).toMatchObject({ code: 'INVALID_DATA', status: 'error' });
    expect((await create(Array.from({ length: 6 }, (_, i) => ({ field_label: `F${i}`, data_type: 'text' })))).data).toMatchObject({ code: 'LIMIT_EXCEEDED' });
  });

  it('refuses duplicates of an existing label or API name (case-insensitive), within one call too; 207 when mixed', async () => {
    const response = await create([
      { field_label: 'utm SOURCE', data_type: 'text' },
      { field_label: 'Other', api_name: 'RS_UTM_SOURCE', data_type: 'text' },
      { field_label: 'Medium', api_name: 'rs_utm_medium', data_type: 'text' },
      { field_label: 'Medium again', api_name: 'rs_utm_medium', data_type: 'text' },
    ]);
    expect(response.status).toBe(207);
    expect(response.data.fields.map((r: { code: string; details: { api_name?: string } }) => [r.code, r.details.api_name])).toEqual([
      ['DUPLICATE_DATA', 'field_label'],
      ['DUPLICATE_DATA', 'api_name'],
      ['SUCCESS', undefined],
      ['DUPLICATE_DATA', 'api_name'],
    ]);
  });

  it('holds each module to its edition’s custom-field limit (Standard: 10)', async () => {
    const custom = async (module: string) =>
      ((await h.api.get('/settings/fields', { params: { module } })).data.fields as { custom_field: boolean }[]).filter((f) => f.custom_field).length;
    for (let i = await custom('Contacts'); i < 10; i++) expect((await create([{ field_label: `Field ${i}`, data_type: 'text' }], 'Contacts')).status).toBe(201);
    const refused = await create([{ field_label: 'One too many', data_type: 'text' }], 'Contacts');
    expect(refused.data.fields[0]).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 10 }, status: 'error' });
    await h.admin.updateSettings({ edition: 'professional' });
    expect((await create([{ field_label: 'One too many', data_type: 'text' }], 'Contacts')).status).toBe(201);
    await h.admin.updateSettings({ edition: 'standard' });
  });

  it('needs the fields CREATE scope and a module', async () => {
    const auth = await h.admin.authorize({ scope: 'ZohoCRM.modules.ALL,ZohoCRM.settings.fields.READ' });
    const readOnly = crmClient(auth.apiDomain, auth.accessToken);
    const refused = await readOnly.post('/settings/fields', { fields: [{ field_label: 'X', data_type: 'text' }] }, { params: { module: 'Leads' } });
    expect(refused.status).toBe(401);
    expect(refused.data.code).toBe('OAUTH_SCOPE_MISMATCH');
    expect((await h.api.post('/settings/fields', { fields: [{ field_label: 'X', data_type: 'text' }] })).data.code).toBe('REQUIRED_PARAM_MISSING');
  });
});
