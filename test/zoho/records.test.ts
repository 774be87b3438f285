/** Requirements 2 and 3: record operations on v8, 201/204 handling, typed errors naming the field and record. */
import { ZohoTransientError, ZohoValidationError } from '../../zoho';
import { startZoho, type TestZoho } from './support';

describe('records', () => {
  let zoho: TestZoho;
  beforeEach(async () => {
    zoho = await startZoho();
  });
  afterEach(() => zoho.close());

  it('creates, updates and reads a lead on API v8', async () => {
    const [owner] = await zoho.client.listUsers();
    const { id, created } = await zoho.client.createRecord('Leads', { Last_Name: 'Koval', Phone: '+380671234567', Owner: { id: owner.id } }, { idempotencyKey: 'k1' });
    expect(created).toBe(true);
    await zoho.client.updateRecord('Leads', id, { Company: 'Koval & Sons' });
    const stored = (await zoho.admin.records('Leads')).find((r) => r.id === id);
    expect(stored).toMatchObject({ Last_Name: 'Koval', Phone: '+380671234567', Company: 'Koval & Sons' });
    expect(await zoho.client.getRecord('Leads', id)).toMatchObject({ id, Company: 'Koval & Sons' });
    expect((await zoho.admin.requests()).some((r) => r.method === 'PUT' && r.path.includes(`/crm/v8/Leads/${id}`))).toBe(true);
  });

  it('answers null for a record Zoho does not have', async () => {
    expect(await zoho.client.getRecord('Leads', '999999999999')).toBeNull();
  });

  it('names the missing field and the module in a MANDATORY_NOT_FOUND error', async () => {
    const failure = zoho.client.createRecord('Leads', { Company: 'No last name' }, { idempotencyKey: 'k2' });
    await expect(failure).rejects.toBeInstanceOf(ZohoValidationError);
    await expect(failure).rejects.toMatchObject({ code: 'MANDATORY_NOT_FOUND', field: 'Last_Name', retryable: false });
    await expect(failure).rejects.toThrow(/Leads.*Last_Name/);
    expect(await zoho.admin.records('Leads')).toEqual([]);
  });

  it('names the field and the record in an INVALID_DATA error on update', async () => {
    const { id } = await zoho.client.createRecord('Tasks', { Subject: 'Call back' }, { idempotencyKey: 'k3' });
    const failure = zoho.client.updateRecord('Tasks', id, { Status: 'No such status' });
    await expect(failure).rejects.toMatchObject({ name: 'ZohoValidationError', code: 'INVALID_DATA', field: 'Status' });
    await expect(failure).rejects.toThrow(new RegExp(`Tasks record ${id}.*Status`));
  });

  it('uses the existing record that DUPLICATE_DATA names', async () => {
    const first = await zoho.client.createRecord('Leads', { Last_Name: 'One', Email: 'same@example.test' }, { idempotencyKey: 'd1' });
    const second = await zoho.client.createRecord('Leads', { Last_Name: 'Two', Email: 'same@example.test' }, { idempotencyKey: 'd2' });
    expect(second).toEqual({ id: first.id, created: false });
    expect(await zoho.admin.records('Leads')).toHaveLength(1);
  });

  it('turns 5xx into a retryable ZohoTransientError', async () => {
    await zoho.admin.addFault({ kind: 'error', status: 503, count: 1 });
    await expect(zoho.client.getOrg()).rejects.toBeInstanceOf(ZohoTransientError);
    await zoho.admin.addFault({ kind: 'error', status: 500, count: 1 });
    await expect(zoho.client.getOrg()).rejects.toMatchObject({ name: 'ZohoTransientError', retryable: true });
    await expect(zoho.client.getOrg()).resolves.toBeTruthy();
  });

  it('turns a request that outlives its timeout into a ZohoTransientError', async () => {
    await zoho.admin.updateSettings({ latencyMs: 1_000 });
    const client = zoho.newClient({ requestTimeoutMs: 200 });
    await expect(client.getOrg()).rejects.toThrow(/no answer within 200 ms/);
  });

  it('reads users, org, fields, layouts and pipelines', async () => {
    const users = await zoho.client.listUsers('AllUsers');
    expect(users.length).toBeGreaterThan((await zoho.client.listUsers()).length);
    expect((await zoho.client.getOrg()).company_name).toBeTruthy();
    expect((await zoho.client.getFields('Leads')).map((f) => f.api_name)).toContain('Last_Name');
    const [layout] = await zoho.client.getLayouts('Deals');
    const pipelines = await zoho.client.getPipelines(layout.id);
    expect(pipelines.flatMap((p) => p.maps.map((s) => s.forecast_type))).toEqual(expect.arrayContaining(['Open', 'Closed Won', 'Closed Lost']));
  });
});
