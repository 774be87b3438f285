/** Requirement 5: a create retried after Zoho committed it but the answer was lost makes no second record. */
import { ZohoTransientError, type ZohoModule } from '../../zoho';
import { startZoho, type TestZoho } from './support';

describe('no duplicate writes under retries', () => {
  let zoho: TestZoho;
  beforeEach(async () => {
    // A long search-index lag proves the lookup does not rely on Search.
    zoho = await startZoho({ searchIndexLagMs: 60_000 });
  });
  afterEach(() => zoho.close());

  const createTwice = async (module: ZohoModule, data: Record<string, unknown>): Promise<string> => {
    await zoho.admin.addFault({ kind: 'timeout-after-commit', match: { method: 'POST', module } });
    await expect(zoho.client.createRecord(module, data, { idempotencyKey: `call-1/${module}` })).rejects.toBeInstanceOf(ZohoTransientError);
    // The activity's retry, as Temporal would run it (a new client: the worker may have restarted).
    const retry = await zoho.newClient().createRecord(module, data, { idempotencyKey: `call-1/${module}` });
    expect(retry.created).toBe(false);
    return retry.id;
  };

  it('finds the lead the lost attempt committed', async () => {
    const id = await createTwice('Leads', { Last_Name: 'Caller +380671112233', Phone: '+380671112233', Description: 'First call' });
    const leads = await zoho.admin.records('Leads');
    expect(leads.map((l) => l.id)).toEqual([id]);
    expect(String(leads[0].Description)).toMatch(/^First call\n\ncallmatrix ref [0-9a-f]{24}$/);
  });

  it('does the same for Tasks, Calls and Notes', async () => {
    const lead = await zoho.client.createRecord('Leads', { Last_Name: 'Parent' }, { idempotencyKey: 'parent' });
    await createTwice('Tasks', { Subject: 'Call back', What_Id: { id: lead.id }, $se_module: 'Leads' });
    await createTwice('Calls', { Subject: 'Inbound call', Call_Type: 'Missed', Call_Start_Time: '2025-01-02T10:00:00+02:00' });
    await createTwice('Notes', { Note_Content: 'Recording: https://example.test/r/1', Parent_Id: { id: lead.id }, se_module: 'Leads' });
    expect(await zoho.admin.records('Tasks')).toHaveLength(1);
    expect(await zoho.admin.records('Calls')).toHaveLength(1);
    expect(await zoho.admin.records('Notes')).toHaveLength(1);
  });

  it('creates separate records for separate keys with the same data', async () => {
    const data = { Last_Name: 'Same name' };
    const a = await zoho.client.createRecord('Leads', data, { idempotencyKey: 'call-a' });
    const b = await zoho.client.createRecord('Leads', data, { idempotencyKey: 'call-b' });
    expect(a.created && b.created).toBe(true);
    expect(a.id).not.toBe(b.id);
    expect(await zoho.admin.records('Leads')).toHaveLength(2);
  });

  it('serialises concurrent creates with one key in a process (a timed-out attempt still running beside its retry)', async () => {
    const results = await Promise.all([1, 2, 3].map(() => zoho.client.createRecord('Leads', { Last_Name: 'Racer' }, { idempotencyKey: 'race' })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await zoho.admin.records('Leads')).toHaveLength(1);
  });
});
