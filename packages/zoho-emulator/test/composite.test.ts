import { startHarness, type Harness } from './harness';

const SCOPE = 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.ALL,ZohoCRM.org.READ,ZohoCRM.coql.READ,ZohoSearch.securesearch.READ,ZohoCRM.composite_requests.CUSTOM';

/** The Composite API (README "Composite API" lists the source of each behaviour). */
describe('emulator: composite requests', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({}, SCOPE);
  });
  afterAll(() => h.emulator.close());
  beforeEach(() => h.admin.reset());

  const composite = (body: unknown) => h.api.post('/__composite_requests', body);
  const leadInsert = (id: string, lastName: string | undefined) => ({ sub_request_id: id, method: 'POST', uri: '/crm/v8/Leads', body: { data: [lastName === undefined ? { First_Name: 'x' } : { Last_Name: lastName }] } });
  const taskFor = (id: string, ref: string) => ({ sub_request_id: id, method: 'POST', uri: '/crm/v8/Tasks', body: { data: [{ Subject: 'Call back', What_Id: { id: `@{${ref}:$.data[0].details.id}` }, $se_module: 'Leads' }] } });
  const all = (module: string) => h.admin.records(module);
  const used = async () => (await h.admin.state()).credits.used;

  it('runs sub-requests with a reference to an earlier result, in one request and one credit', async () => {
    const before = await used();
    const response = await composite({ __composite_requests: [leadInsert('lead', 'Bilyk'), taskFor('task', 'lead')] });
    expect(response.status).toBe(200);
    const [lead, task] = response.data.__composite_requests;
    expect(lead).toMatchObject({ sub_request_id: 'lead', code: 'SUCCESS', status: 'success', details: { response: { status_code: 201 } } });
    expect(task).toMatchObject({ sub_request_id: 'task', code: 'SUCCESS' });
    const leadId = lead.details.response.body.data[0].details.id;
    const [stored] = await all('Tasks');
    expect(stored.What_Id).toMatchObject({ id: leadId });
    expect((await used()) - before).toBe(1);
    expect((await h.admin.requests()).filter((r) => r.endpoint.includes('composite'))).toHaveLength(1);
  });

  it('refuses a sub-request updating a record the user may not change, as the same update sent alone, and rolls the others back', async () => {
    const leadId = (await composite({ __composite_requests: [leadInsert('lead', 'Bilyk')] })).data.__composite_requests[0].details.response.body.data[0].details.id;
    await h.admin.setReadOnly('Leads', leadId);
    const update = { sub_request_id: 'update', method: 'PUT', uri: `/crm/v8/Leads/${leadId}`, body: { data: [{ Company: 'X' }] } };
    const response = await composite({ rollback_on_fail: true, __composite_requests: [leadInsert('other', 'Koval'), update] });
    const [other, refused] = response.data.__composite_requests;
    expect(other).toMatchObject({ code: 'ROLLBACK_PERFORMED' });
    expect(refused).toMatchObject({ code: 'CANNOT_PERFORM_ACTION', details: { response: { status_code: 400, body: { data: [{ code: 'CANNOT_PERFORM_ACTION' }] } } } });
    expect((await all('Leads')).map((lead) => lead.Last_Name)).toEqual(['Bilyk']);
  });

  it('rolls every sub-request back when one fails with rollback_on_fail, answers 400, and charges 1 credit', async () => {
    const before = await used();
    const response = await composite({ rollback_on_fail: true, __composite_requests: [leadInsert('lead', 'Bilyk'), leadInsert('bad', undefined), taskFor('task', 'lead')] });
    expect(response.status).toBe(400);
    const [lead, bad, task] = response.data.__composite_requests;
    expect(lead).toMatchObject({ code: 'ROLLBACK_PERFORMED', status: 'error' });
    expect(bad).toMatchObject({ code: 'MANDATORY_NOT_FOUND', status: 'error', details: { response: { status_code: 400 } } });
    expect(task).toMatchObject({ code: 'PROCESSING_STOPPED', status: 'error' });
    expect(await all('Leads')).toEqual([]);
    expect((await used()) - before).toBe(1);
  });

  it('charges 2 credits when a rollback-enabled composite fully succeeds', async () => {
    const before = await used();
    await composite({ rollback_on_fail: true, __composite_requests: [leadInsert('lead', 'Bilyk'), taskFor('task', 'lead')] });
    expect((await used()) - before).toBe(2);
    expect(await all('Tasks')).toHaveLength(1);
  });

  it('without rollback keeps what succeeded and skips sub-requests that reference a failed one (207)', async () => {
    const response = await composite({ __composite_requests: [leadInsert('bad', undefined), taskFor('task', 'bad'), leadInsert('other', 'Kept')] });
    // Two of three ran: 207.
    expect(response.status).toBe(207);
    expect(response.data.__composite_requests.map((s: { code: string }) => s.code)).toEqual(['MANDATORY_NOT_FOUND', 'INVALID_REFERENCE', 'SUCCESS']);
    expect((await all('Leads')).map((l) => l.Last_Name)).toEqual(['Kept']);
  });

  it('refuses more than 5 sub-requests, both rollback and parallel execution, and bad sub-request fields', async () => {
    const six = Array.from({ length: 6 }, (_, i) => leadInsert(`l${i}`, 'x'));
    expect((await composite({ __composite_requests: six })).data).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 5 } });
    expect((await composite({ rollback_on_fail: true, parallel_execution: true, __composite_requests: [leadInsert('a', 'x')] })).data.code).toBe('AMBIGUITY_DURING_PROCESSING');
    expect((await composite({ __composite_requests: [{ ...leadInsert('a', 'x'), uri: '/Leads' }] })).data).toMatchObject({ code: 'INVALID_DATA', details: { json_path: '$.__composite_requests[0].uri' } });
    expect((await composite({ __composite_requests: [{ ...leadInsert('a', 'x'), headers: { Authorization: 'x' } }] })).status).toBe(400);
    expect((await composite({ __composite_requests: [leadInsert('a', 'x'), leadInsert('a', 'y')] })).data.code).toBe('DUPLICATE_DATA');
    expect(await all('Leads')).toEqual([]);
  });

  it('allows COQL, search and record reads side by side, one credit for all', async () => {
    const [lead] = await h.admin.seedRecords('Leads', [{ Last_Name: 'Found', Phone: '+380671112233' }]);
    const before = await used();
    const response = await composite({
      __composite_requests: [
        { sub_request_id: 'q', method: 'POST', uri: '/crm/v8/coql', body: { select_query: "select Last_Name from Leads where Phone = '+380671112233' limit 25" } },
        { sub_request_id: 's', method: 'GET', uri: '/crm/v8/Leads/search', params: { phone: '+380671112233' } },
        { sub_request_id: 'g', method: 'GET', uri: `/crm/v8/Leads/${lead.id as string}` },
        { sub_request_id: 'none', method: 'POST', uri: '/crm/v8/coql', body: { select_query: "select Last_Name from Leads where Phone = '+1000' limit 25" } },
        { sub_request_id: 'ref', method: 'GET', uri: '/crm/v8/Leads/@{none:$.data[0].id}' },
      ],
    });
    const [q, s, g, none, ref] = response.data.__composite_requests;
    expect(q).toMatchObject({ code: 'SUCCESS', details: { response: { status_code: 200, body: { data: [{ id: lead.id, Last_Name: 'Found' }] } } } });
    expect(s.details.response.body.data[0].id).toBe(lead.id);
    expect(g.details.response.body.data[0].Last_Name).toBe('Found');
    // Nothing found is a 204 without a body, as the same call alone answers.
    expect(none).toMatchObject({ code: 'SUCCESS', details: { response: { status_code: 204, body: null } } });
    expect(ref).toMatchObject({ code: 'INVALID_REFERENCE', details: { response: { status_code: 400 } } });
    expect((await used()) - before).toBe(1);
  });

  it('reads at most 25 records per sub-request and writes 1, as Zoho\'s "Allowed APIs" table says', async () => {
    await h.admin.seedRecords('Leads', Array.from({ length: 30 }, (_, i) => ({ Last_Name: 'Many', Phone: `+38067000${String(i).padStart(4, '0')}` })));
    const coql = (select: string) => ({ sub_request_id: 'q', method: 'POST', uri: '/crm/v8/coql', body: { select_query: select } });
    const [implicit] = (await composite({ __composite_requests: [coql("select Last_Name from Leads where Last_Name = 'Many'")] })).data.__composite_requests;
    expect(implicit.details.response.body.data).toHaveLength(25);
    expect(implicit.details.response.body.info).toMatchObject({ count: 25, more_records: true });
    const [explicit] = (await composite({ __composite_requests: [coql("select Last_Name from Leads where Last_Name = 'Many' limit 26")] })).data.__composite_requests;
    expect(explicit).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { response: { status_code: 400, body: { details: { limit: 25 } } } } });
    const [list] = (await composite({ __composite_requests: [{ sub_request_id: 'l', method: 'GET', uri: '/crm/v8/Leads', params: { fields: 'Last_Name', per_page: '50' } }] })).data.__composite_requests;
    expect(list.code).toBe('LIMIT_EXCEEDED');
    const two = { sub_request_id: 'w', method: 'POST', uri: '/crm/v8/Leads', body: { data: [{ Last_Name: 'a' }, { Last_Name: 'b' }] } };
    const [write] = (await composite({ __composite_requests: [two] })).data.__composite_requests;
    expect(write).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { response: { body: { details: { limit: 1 } } } } });
    expect((await all('Leads')).filter((l) => l.Last_Name !== 'Many')).toEqual([]);
  });

  it('refuses the APIs absent from the allowed list: a nested composite, a custom field, a bulk delete', async () => {
    const response = await composite({
      __composite_requests: [
        { sub_request_id: 'c', method: 'POST', uri: '/crm/v8/__composite_requests', body: { __composite_requests: [leadInsert('a', 'x')] } },
        { sub_request_id: 'f', method: 'POST', uri: '/crm/v8/settings/fields', params: { module: 'Leads' }, body: { fields: [{ field_label: 'X', data_type: 'text' }] } },
        { sub_request_id: 'd', method: 'DELETE', uri: '/crm/v8/Leads', params: { ids: '1,2' } },
      ],
    });
    expect(response.data.__composite_requests.map((s: { code: string }) => s.code)).toEqual(['NOT_SUPPORTED', 'NOT_SUPPORTED', 'NOT_SUPPORTED']);
    expect(await all('Leads')).toEqual([]);
  });

  it('needs the composite scope, and each sub-request its own', async () => {
    const narrow = await startHarness({}, 'ZohoCRM.modules.leads.ALL,ZohoCRM.composite_requests.CUSTOM');
    const none = await startHarness({}, 'ZohoCRM.modules.ALL');
    try {
      const refused = await none.api.post('/__composite_requests', { __composite_requests: [leadInsert('a', 'x')] });
      expect(refused.status).toBe(401);
      expect(refused.data.code).toBe('OAUTH_SCOPE_MISMATCH');
      const partly = await narrow.api.post('/__composite_requests', { __composite_requests: [leadInsert('a', 'x'), { sub_request_id: 't', method: 'POST', uri: '/crm/v8/Tasks', body: { data: [{ Subject: 's' }] } }] });
      expect(partly.data.__composite_requests.map((s: { code: string }) => s.code)).toEqual(['SUCCESS', 'OAUTH_SCOPE_MISMATCH']);
    } finally {
      await Promise.all([narrow.emulator.close(), none.emulator.close()]);
    }
  });

  it('takes 5 concurrency units and 1 sub-concurrency unit', async () => {
    await h.admin.updateSettings({ edition: 'free', latencyMs: 300 });
    const read = { __composite_requests: [{ sub_request_id: 'g', method: 'GET', uri: '/crm/v8/Leads', params: { fields: 'Last_Name' } }] };
    const statuses = (await Promise.all([composite(read), composite(read)])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 429]);
  });

  it('commits and then drops the connection under a timeout-after-commit fault', async () => {
    await h.admin.addFault({ kind: 'timeout-after-commit', match: { path: '__composite_requests' } });
    await expect(composite({ rollback_on_fail: true, __composite_requests: [leadInsert('lead', 'Bilyk'), taskFor('task', 'lead')] })).rejects.toThrow();
    expect(await all('Leads')).toHaveLength(1);
    expect(await all('Tasks')).toHaveLength(1);
  });

  it('injected faults meet a sub-request as they would the same call sent alone', async () => {
    await h.admin.addFault({ kind: 'error', status: 400, code: 'INVALID_DATA', count: 1, match: { method: 'POST', module: 'Tasks' } });
    const response = await composite({ __composite_requests: [leadInsert('lead', 'Bilyk'), taskFor('task', 'lead')] });
    expect(response.data.__composite_requests.map((s: { code: string }) => s.code)).toEqual(['SUCCESS', 'INVALID_DATA']);
    expect(await all('Tasks')).toEqual([]);
  });
});
