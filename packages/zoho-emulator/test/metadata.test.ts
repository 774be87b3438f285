import { startHarness, type Harness } from './harness';

describe('emulator: users, org and settings', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ edition: 'enterprise', seed: 'demo' });
  });
  afterAll(() => h.emulator.close());

  it('lists users by type', async () => {
    const names = async (type: string) => ((await h.api.get('/users', { params: { type } })).data.users as { full_name: string }[]).map((u) => u.full_name);
    expect(await names('ActiveUsers')).toEqual(['Olena Koval', 'Ivan Petrenko', 'Maria Shevchenko', 'Andrii Bondar']);
    expect(await names('DeactiveUsers')).toEqual(['Taras Melnyk']);
    expect(await names('AllUsers')).toHaveLength(5);
    expect(await names('CurrentUser')).toEqual(['Olena Koval']);
    const [user] = (await h.api.get('/users', { params: { type: 'ActiveUsers' } })).data.users;
    expect(Object.keys(user)).toEqual(expect.arrayContaining(['id', 'full_name', 'email', 'phone', 'mobile', 'role', 'profile', 'status', 'confirm', 'zuid', 'time_zone']));
    expect((await h.api.get('/users', { params: { type: 'Whatever' } })).status).toBe(400);
  });

  it('describes the org with its edition and time zone', async () => {
    const { data } = await h.api.get('/org');
    expect(data.org[0]).toMatchObject({ time_zone: 'Europe/Kyiv', license_details: { paid_type: 'enterprise' } });
  });

  it('lists fields with types, the integration’s custom fields and picklists', async () => {
    const response = await h.api.get('/settings/fields', { params: { module: 'Leads' } });
    const fields = response.data.fields as { api_name: string; data_type: string; custom_field: boolean; system_mandatory: boolean }[];
    const type = (name: string) => fields.find((f) => f.api_name === name)?.data_type;
    for (const name of ['rs_utm_source', 'rs_utm_medium', 'rs_utm_campaign', 'rs_utm_term', 'rs_utm_content', 'rs_google_client_id', 'rs_pool_name', 'rs_landing']) {
      expect({ name, type: type(name) }).toEqual({ name, type: 'text' });
    }
    expect(type('rs_call_count')).toBe('integer');
    expect(type('Phone')).toBe('phone');
    expect(fields.find((f) => f.api_name === 'Last_Name')?.system_mandatory).toBe(true);

    const tasks = (await h.api.get('/settings/fields', { params: { module: 'Tasks' } })).data.fields as { api_name: string; pick_list_values: { actual_value: string }[]; multi_module_lookup?: unknown }[];
    const status = tasks.find((f) => f.api_name === 'Status')!;
    expect(status.pick_list_values.map((v) => v.actual_value)).toEqual(['Not Started', 'Deferred', 'In Progress', 'Completed', 'Waiting for input']);
    expect(tasks.find((f) => f.api_name === 'What_Id')?.multi_module_lookup).toBeDefined();
    for (const module of ['Deals', 'Contacts']) {
      const names = ((await h.api.get('/settings/fields', { params: { module } })).data.fields as { api_name: string }[]).map((f) => f.api_name);
      expect(names).toEqual(expect.arrayContaining(['rs_pool_name', 'rs_landing']));
    }
    expect((await h.api.get('/settings/fields')).data.code).toBe('REQUIRED_PARAM_MISSING');
    expect((await h.api.get('/settings/fields', { params: { module: 'Nope' } })).data.code).toBe('INVALID_MODULE');
  });

  it('serves layouts and the Deals pipelines with forecast types', async () => {
    const layouts = (await h.api.get('/settings/layouts', { params: { module: 'Deals' } })).data.layouts as { id: string }[];
    expect(layouts).toHaveLength(1);
    const response = await h.api.get('/settings/pipeline', { params: { layout_id: layouts[0].id } });
    expect(response.status).toBe(200);
    const pipelines = response.data.pipeline as { display_value: string; default: boolean; maps: { actual_value: string; forecast_type: string }[] }[];
    expect(pipelines.map((p) => [p.display_value, p.default])).toEqual([
      ['Standard', true],
      ['New', false],
    ]);
    for (const pipeline of pipelines) {
      const types = new Set(pipeline.maps.map((s) => s.forecast_type));
      expect(types).toEqual(new Set(['Open', 'Closed Won', 'Closed Lost']));
    }
    expect(pipelines[1].maps.find((s) => s.actual_value === 'Closed Lost')?.forecast_type).toBe('Closed Lost');
    expect((await h.api.get('/settings/pipeline')).data.code).toBe('REQUIRED_PARAM_MISSING');
    expect((await h.api.get('/settings/pipeline', { params: { layout_id: '1' } })).data.code).toBe('INVALID_DATA');
  });

  it('seeds a contact with an open deal and a lead in the demo org', async () => {
    const deals = await h.api.post('/coql', { select_query: "select Deal_Name, Stage from Deals where Contact_Name.Phone = '+380671234567'" });
    expect(deals.data.data).toHaveLength(1);
    expect((await h.api.get('/Leads/search', { params: { phone: '+380501112233' } })).data.data).toHaveLength(1);
  });
});
