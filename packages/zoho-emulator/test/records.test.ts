import { createdId, startHarness, type Harness } from './harness';

describe('emulator: records API', () => {
  let h: Harness;
  let users: { id: string; full_name: string; status: string }[];

  beforeAll(async () => {
    h = await startHarness();
    users = (await h.api.get('/users', { params: { type: 'AllUsers' } })).data.users;
  });
  afterAll(() => h.emulator.close());
  beforeEach(() => h.admin.reset());

  const activeUser = () => users.find((u) => u.full_name === 'Ivan Petrenko')!;
  const inactiveUser = () => users.find((u) => u.status === 'inactive')!;

  describe('insert', () => {
    it('answers 201 with per-record details and renders the record back', async () => {
      const response = await h.api.post('/Leads', { data: [{ First_Name: 'Anna', Last_Name: 'Bilyk', Phone: '+380671112233', Owner: { id: activeUser().id }, rs_utm_source: 'google' }] });
      expect(response.status).toBe(201);
      const [result] = response.data.data;
      expect(result).toMatchObject({ code: 'SUCCESS', status: 'success', message: 'record added' });
      expect(Object.keys(result.details)).toEqual(expect.arrayContaining(['id', 'Created_Time', 'Modified_Time', 'Created_By', 'Modified_By']));
      expect(result.details.Created_Time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[23]:00$/);

      const read = await h.api.get(`/Leads/${result.details.id}`);
      expect(read.status).toBe(200);
      expect(read.data.data[0]).toMatchObject({
        id: result.details.id,
        Full_Name: 'Anna Bilyk',
        Phone: '+380671112233',
        rs_utm_source: 'google',
        Owner: { id: activeUser().id, name: 'Ivan Petrenko' },
        Converted__s: false,
      });
    });

    it('reports a missing mandatory field with its api_name and json_path', async () => {
      const response = await h.api.post('/Leads', { data: [{ First_Name: 'Anna' }] });
      expect(response.status).toBe(400);
      expect(response.data.data[0]).toEqual({
        code: 'MANDATORY_NOT_FOUND',
        details: { api_name: 'Last_Name', json_path: '$.data[0].Last_Name' },
        message: 'required field not found',
        status: 'error',
      });
      const deal = await h.api.post('/Deals', { data: [{ Deal_Name: 'D', Pipeline: 'Standard' }] });
      expect(deal.data.data[0].details.api_name).toBe('Stage');
    });

    it('answers 207 when some records fail', async () => {
      const response = await h.api.post('/Tasks', { data: [{ Subject: 'ok' }, { Status: 'Completed' }] });
      expect(response.status).toBe(207);
      expect(response.data.data.map((r: { status: string }) => r.status)).toEqual(['success', 'error']);
    });

    it('refuses more than 100 records and a body without data', async () => {
      const tooMany = await h.api.post('/Leads', { data: Array.from({ length: 101 }, (_, i) => ({ Last_Name: `L${i}` })) });
      expect(tooMany.status).toBe(400);
      expect(tooMany.data.code).toBe('LIMIT_EXCEEDED');
      expect((await h.api.post('/Leads', {})).data.code).toBe('MANDATORY_NOT_FOUND');
    });

    it('requires $se_module with What_Id and an existing record behind it', async () => {
      const lead = createdId(await h.api.post('/Leads', { data: [{ Last_Name: 'Target' }] }));
      const noModule = await h.api.post('/Tasks', { data: [{ Subject: 'call back', What_Id: { id: lead } }] });
      expect(noModule.data.data[0]).toMatchObject({ code: 'MANDATORY_NOT_FOUND', details: { api_name: '$se_module' } });
      const badId = await h.api.post('/Tasks', { data: [{ Subject: 'call back', What_Id: { id: '123' }, $se_module: 'Leads' }] });
      expect(badId.data.data[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'What_Id', id: '123' } });
      const wrongModule = await h.api.post('/Tasks', { data: [{ Subject: 'call back', What_Id: { id: lead }, $se_module: 'Contacts' }] });
      expect(wrongModule.data.data[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: '$se_module' } });

      const ok = await h.api.post('/Tasks', { data: [{ Subject: 'call back', What_Id: { id: lead }, $se_module: 'Leads', Status: 'Not Started' }] });
      expect(ok.status).toBe(201);
      const task = (await h.api.get(`/Tasks/${createdId(ok)}`)).data.data[0];
      expect(task).toMatchObject({ What_Id: { id: lead, name: 'Target' }, $se_module: 'Leads', Status: 'Not Started' });
    });

    it('checks lookups, owners, picklists and data types', async () => {
      const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
        ['Deals', { Deal_Name: 'D', Pipeline: 'Standard', Stage: 'Qualification', Contact_Name: { id: '42' } }, { api_name: 'Contact_Name', id: '42' }],
        ['Leads', { Last_Name: 'L', Owner: { id: inactiveUser().id } }, { api_name: 'Owner' }],
        ['Leads', { Last_Name: 'L', Owner: { id: '1' } }, { api_name: 'Owner' }],
        ['Tasks', { Subject: 'S', Status: 'Done' }, { api_name: 'Status', expected_data_type: 'picklist' }],
        ['Leads', { Last_Name: 'L', rs_call_count: '5' }, { api_name: 'rs_call_count', expected_data_type: 'integer' }],
        ['Leads', { Last_Name: 42 }, { api_name: 'Last_Name', expected_data_type: 'text' }],
        ['Leads', { Last_Name: 'L', Email: 'not-an-email' }, { api_name: 'Email' }],
        ['Leads', { Last_Name: 'L', Phone: 'x'.repeat(31) }, { api_name: 'Phone', maximum_length: 30 }],
        ['Deals', { Deal_Name: 'D', Pipeline: 'Standard', Stage: 'Qualification', Probability: 120 }, { api_name: 'Probability' }],
        ['Calls', { Subject: 'c', Call_Type: 'Inbound', Call_Start_Time: '2024-05-01T10:00:00.000Z', Call_Duration: '01:00' }, { api_name: 'Call_Start_Time', expected_data_type: 'datetime' }],
      ];
      for (const [module, record, details] of cases) {
        const response = await h.api.post(`/${module}`, { data: [record] });
        expect({ module, status: response.status, code: response.data.data[0].code }).toEqual({ module, status: 400, code: 'INVALID_DATA' });
        expect(response.data.data[0].details).toMatchObject(details);
      }
    });

    it('keeps a deal’s stage inside its pipeline', async () => {
      const wrong = await h.api.post('/Deals', { data: [{ Deal_Name: 'D', Pipeline: 'New', Stage: 'Needs Analysis' }] });
      expect(wrong.data.data[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Stage' } });
      expect((await h.api.post('/Deals', { data: [{ Deal_Name: 'D', Pipeline: 'New', Stage: 'New Request' }] })).status).toBe(201);
    });

    it('applies the Calls rules: duration mandatory unless missed, never zero', async () => {
      const call = { Subject: 'Incoming call', Call_Type: 'Inbound', Call_Start_Time: '2024-05-01T10:00:00+03:00' };
      expect((await h.api.post('/Calls', { data: [call] })).data.data[0]).toMatchObject({ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'Call_Duration' } });
      expect((await h.api.post('/Calls', { data: [{ ...call, Call_Duration: '00:00' }] })).data.data[0]).toMatchObject({
        code: 'DEPENDENT_MISMATCH',
        message: 'Call Duration can not be zero',
      });
      expect((await h.api.post('/Calls', { data: [{ ...call, Call_Type: 'Missed' }] })).status).toBe(201);
      const id = createdId(await h.api.post('/Calls', { data: [{ ...call, Call_Duration: '02:05' }] }));
      expect((await h.api.get(`/Calls/${id}`)).data.data[0].Call_Duration_in_seconds).toBe(125);
    });

    it('applies the Calls rules: an Outbound call says whether it was made or is planned; a planned one lies ahead (C1)', async () => {
      const call = { Subject: 'Outgoing call', Call_Type: 'Outbound', Call_Start_Time: '2024-05-01T10:00:00+03:00', Call_Duration: '01:10' };
      expect((await h.api.post('/Calls', { data: [call] })).data.data[0]).toMatchObject({ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'Outgoing_Call_Status' } });
      expect((await h.api.post('/Calls', { data: [{ ...call, Outgoing_Call_Status: 'Done' }] })).data.data[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Outgoing_Call_Status' } });
      expect((await h.api.post('/Calls', { data: [{ ...call, Outgoing_Call_Status: 'Scheduled' }] })).data.data[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Call_Start_Time' } });
      const planned = { ...call, Outgoing_Call_Status: 'Scheduled', Call_Start_Time: '2099-05-01T10:00:00+03:00', Call_Duration: undefined };
      expect((await h.api.post('/Calls', { data: [planned] })).status).toBe(201);
      expect((await h.api.post('/Calls', { data: [{ ...call, Outgoing_Call_Status: 'Completed', Call_Type: 'Logged' }] })).data.data[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Call_Type' } });
      expect((await h.api.post('/Calls', { data: [{ ...call, Outgoing_Call_Status: 'Completed', Voice_Recording__s: 'not a link' }] })).data.data[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Voice_Recording__s' } });
      expect((await h.api.post('/Calls', { data: [{ ...call, Outgoing_Call_Status: 'Completed', What_Id: { id: '1' } }] })).data.data[0]).toMatchObject({ code: 'MANDATORY_NOT_FOUND', details: { api_name: '$se_module' } });
      expect((await h.api.post('/Calls', { data: [{ ...call, Outgoing_Call_Status: 'Completed' }] })).status).toBe(201);
    });

    it('rejects a duplicate of a unique field and names the existing record', async () => {
      const first = createdId(await h.api.post('/Contacts', { data: [{ Last_Name: 'A', Email: 'same@example.com' }] }));
      const second = await h.api.post('/Contacts', { data: [{ Last_Name: 'B', Email: 'SAME@example.com' }] });
      expect(second.status).toBe(400);
      expect(second.data.data[0]).toMatchObject({
        code: 'DUPLICATE_DATA',
        message: 'duplicate data',
        details: { api_name: 'Email', json_path: '$.data[0].Email', duplicate_record: { id: first, module: { api_name: 'Contacts' } } },
      });
    });
  });

  describe('update, upsert, delete', () => {
    it('updates by id and in batches', async () => {
      const id = createdId(await h.api.post('/Leads', { data: [{ Last_Name: 'Old' }] }));
      const one = await h.api.put(`/Leads/${id}`, { data: [{ Last_Name: 'New', Lead_Status: 'Contacted' }] });
      expect(one.status).toBe(200);
      expect(one.data.data[0]).toMatchObject({ code: 'SUCCESS', message: 'record updated', details: { id } });
      expect((await h.api.get(`/Leads/${id}`)).data.data[0]).toMatchObject({ Last_Name: 'New', Full_Name: 'New', Lead_Status: 'Contacted' });

      const batch = await h.api.put('/Leads', { data: [{ id, Phone: '+380501234567' }, { Phone: '1' }, { id: '999', Phone: '1' }] });
      expect(batch.status).toBe(207);
      expect(batch.data.data.map((r: { code: string }) => r.code)).toEqual(['SUCCESS', 'MANDATORY_NOT_FOUND', 'INVALID_DATA']);
      expect((await h.api.put(`/Leads/${id}`, { data: [{ Last_Name: '' }] })).data.data[0].code).toBe('MANDATORY_NOT_FOUND');
    });

    it('refuses an update of a record the user may not change with CANNOT_PERFORM_ACTION, for that record alone, until it is writable again', async () => {
      const [locked, free] = [createdId(await h.api.post('/Leads', { data: [{ Last_Name: 'Shared read-only' }] })), createdId(await h.api.post('/Leads', { data: [{ Last_Name: 'Own' }] }))];
      await h.admin.setReadOnly('Leads', locked);
      const refusal = { code: 'CANNOT_PERFORM_ACTION', details: {}, message: 'no permission to perform an action on this record', status: 'error' };

      const one = await h.api.put(`/Leads/${locked}`, { data: [{ Company: 'X' }] });
      expect(one.status).toBe(400);
      expect(one.data).toEqual({ data: [refusal] });
      const batch = await h.api.put('/Leads', { data: [{ id: locked, Company: 'X' }, { id: free, Company: 'X' }] });
      expect(batch.status).toBe(207);
      expect(batch.data.data).toEqual([refusal, expect.objectContaining({ code: 'SUCCESS' })]);
      // Still readable; the other record was written.
      expect((await h.api.get(`/Leads/${locked}`)).data.data[0].Company).not.toBe('X');
      expect((await h.api.get(`/Leads/${free}`)).data.data[0].Company).toBe('X');

      await h.admin.setReadOnly('Leads', locked, false);
      expect((await h.api.put(`/Leads/${locked}`, { data: [{ Company: 'X' }] })).status).toBe(200);
    });

    it('answers 412 when the record changed after If-Unmodified-Since', async () => {
      const id = createdId(await h.api.post('/Leads', { data: [{ Last_Name: 'L' }] }));
      await h.admin.advanceClock(5000);
      await h.api.put(`/Leads/${id}`, { data: [{ Company: 'X' }] });
      const stale = new Date(Date.now() + 1000).toUTCString();
      const response = await h.api.put(`/Leads/${id}`, { data: [{ Company: 'Y' }] }, { headers: { 'If-Unmodified-Since': stale } });
      expect(response.status).toBe(412);
      expect(response.data.code).toBe('ALREADY_MODIFIED');
    });

    it('upserts on duplicate-check fields', async () => {
      const first = await h.api.post('/Leads/upsert', { data: [{ Last_Name: 'U', Email: 'u@example.com' }] });
      expect(first.data.data[0]).toMatchObject({ action: 'insert', duplicate_field: null });
      const second = await h.api.post('/Leads/upsert', { data: [{ Last_Name: 'U2', Email: 'u@example.com' }], duplicate_check_fields: ['Email'] });
      expect(second.data.data[0]).toMatchObject({ action: 'update', duplicate_field: 'Email', details: { id: first.data.data[0].details.id } });
      expect((await h.api.post('/Leads/upsert', { data: [{ Last_Name: 'U' }], duplicate_check_fields: ['Phone'] })).data.code).toBe('INVALID_DATA');
    });

    it('deletes records', async () => {
      const id = createdId(await h.api.post('/Leads', { data: [{ Last_Name: 'Gone' }] }));
      const response = await h.api.delete('/Leads', { params: { ids: `${id},404` } });
      expect(response.status).toBe(207);
      expect(response.data.data[0]).toMatchObject({ code: 'SUCCESS', message: 'record deleted', details: { id } });
      expect((await h.api.get(`/Leads/${id}`)).status).toBe(204);
    });
  });

  describe('list and related', () => {
    it('requires fields, answers 204 with no body when empty, pages with info', async () => {
      expect((await h.api.get('/Leads')).data).toMatchObject({ code: 'REQUIRED_PARAM_MISSING', details: { param_name: 'fields' } });
      const empty = await h.api.get('/Leads', { params: { fields: 'Last_Name' } });
      expect(empty.status).toBe(204);
      expect(empty.data).toBe('');

      await h.api.post('/Leads', { data: Array.from({ length: 5 }, (_, i) => ({ Last_Name: `L${i}`, Phone: `+38050000000${i}` })) });
      const page2 = await h.api.get('/Leads', { params: { fields: 'Last_Name', per_page: 2, page: 2, sort_order: 'asc' } });
      expect(page2.data.data.map((r: { Last_Name: string }) => r.Last_Name)).toEqual(['L2', 'L3']);
      expect(Object.keys(page2.data.data[0]).sort()).toEqual(['Last_Name', 'id']);
      expect(page2.data.info).toMatchObject({ per_page: 2, count: 2, page: 2, more_records: true });

      const next = await h.api.get('/Leads', { params: { fields: 'Last_Name', per_page: 2, sort_order: 'asc', page_token: page2.data.info.next_page_token } });
      expect(next.data.data.map((r: { Last_Name: string }) => r.Last_Name)).toEqual(['L4']);
      expect((await h.api.get('/Leads', { params: { fields: 'Phone', per_page: 2, sort_order: 'asc', page_token: page2.data.info.next_page_token } })).data.code).toBe('TOKEN_BOUND_DATA_MISMATCH');
      expect((await h.api.get('/Leads', { params: { fields: 'Last_Name', page: 11, per_page: 200 } })).data.code).toBe('DISCRETE_PAGINATION_LIMIT_EXCEEDED');
    });

    it('lists a contact’s deals and a lead’s notes', async () => {
      const contact = createdId(await h.api.post('/Contacts', { data: [{ Last_Name: 'C', Phone: '+380671234567' }] }));
      const deal = createdId(await h.api.post('/Deals', { data: [{ Deal_Name: 'D1', Pipeline: 'Standard', Stage: 'Qualification', Contact_Name: { id: contact } }] }));
      await h.api.post('/Deals', { data: [{ Deal_Name: 'Other', Pipeline: 'Standard', Stage: 'Qualification' }] });
      const deals = await h.api.get(`/Contacts/${contact}/Deals`, { params: { fields: 'Deal_Name,Stage,Contact_Name' } });
      expect(deals.status).toBe(200);
      expect(deals.data.data).toEqual([{ id: deal, Deal_Name: 'D1', Stage: 'Qualification', Contact_Name: { id: contact, name: 'C' } }]);

      const lead = createdId(await h.api.post('/Leads', { data: [{ Last_Name: 'L' }] }));
      expect((await h.api.post(`/Leads/${lead}/Notes`, { data: [{ Note_Title: 'T', Note_Content: 'Recording: http://rec.example/1' }] })).status).toBe(201);
      expect((await h.api.post('/Notes', { data: [{ Note_Content: 'second', Parent_Id: { id: lead }, se_module: 'Leads' }] })).status).toBe(201);
      expect((await h.api.post('/Notes', { data: [{ Note_Content: 'orphan' }] })).data.data[0].details.api_name).toBe('Parent_Id');
      const notes = await h.api.get(`/Leads/${lead}/Notes`, { params: { fields: 'Note_Content,Parent_Id' } });
      expect(notes.data.data).toHaveLength(2);
      expect(notes.data.data[0].Parent_Id).toMatchObject({ id: lead, module: { api_name: 'Leads' } });
    });
  });

  describe('lead conversion', () => {
    it('creates contact, account and deal, then hides the lead unless converted=true|both', async () => {
      const lead = createdId(await h.api.post('/Leads', { data: [{ First_Name: 'Olha', Last_Name: 'Ruda', Company: 'Ruda LLC', Phone: '+380931112233' }] }));
      const converted = await h.api.post(`/Leads/${lead}/actions/convert`, { data: [{ Deals: { Deal_Name: 'Ruda deal', Pipeline: 'Standard', Stage: 'Qualification' } }] });
      expect(converted.status).toBe(200);
      const details = converted.data.data[0].details;
      expect(details.Contacts.name).toBe('Olha Ruda');
      expect(details.Accounts.name).toBe('Ruda LLC');
      expect(details.Deals.name).toBe('Ruda deal');
      const contact = (await h.api.get(`/Contacts/${details.Contacts.id}`)).data.data[0];
      expect(contact).toMatchObject({ Phone: '+380931112233', Account_Name: { id: details.Accounts.id } });
      const deal = (await h.api.get(`/Deals/${details.Deals.id}`)).data.data[0];
      expect(deal.Contact_Name.id).toBe(details.Contacts.id);

      expect((await h.api.get('/Leads', { params: { fields: 'Last_Name' } })).status).toBe(204);
      expect((await h.api.get('/Leads', { params: { fields: 'Last_Name,Converted__s', converted: 'true' } })).data.data[0]).toMatchObject({ id: lead, Converted__s: true });
      expect((await h.api.get('/Leads', { params: { fields: 'Last_Name', converted: 'both' } })).data.data).toHaveLength(1);
      expect((await h.api.get(`/Leads/${lead}`)).data.data[0].Converted__s).toBe(true);
      expect((await h.api.post(`/Leads/${lead}/actions/convert`, {})).status).toBe(400);
    });
  });

  it('answers a body that is not JSON in Zoho’s error shape', async () => {
    const response = await h.api.post('/Leads', '{"data": [', { headers: { 'Content-Type': 'application/json' }, transformRequest: [(body: unknown) => body] });
    expect(response.status).toBe(400);
    expect(response.data).toMatchObject({ code: 'INVALID_DATA', status: 'error' });
  });

  it('answers INVALID_MODULE and INVALID_URL_PATTERN', async () => {
    const module = await h.api.get('/Potatoes', { params: { fields: 'x' } });
    expect(module.status).toBe(400);
    expect(module.data.code).toBe('INVALID_MODULE');
    const url = await h.api.get('/Leads/1/2/3/4');
    expect(url.status).toBe(404);
    expect(url.data.code).toBe('INVALID_URL_PATTERN');
  });
});
