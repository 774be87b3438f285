import { createdId, startHarness, type Harness } from './harness';

describe('emulator: COQL', () => {
  let h: Harness;
  let ivanId: string;
  let contactId: string;
  let leadId: string;

  beforeAll(async () => {
    h = await startHarness();
    const users = (await h.api.get('/users', { params: { type: 'ActiveUsers' } })).data.users as { id: string; full_name: string }[];
    ivanId = users.find((u) => u.full_name === 'Ivan Petrenko')!.id;
    const account = createdId(await h.api.post('/Accounts', { data: [{ Account_Name: 'Zylker' }] }));
    contactId = createdId(await h.api.post('/Contacts', { data: [{ Last_Name: 'Caller', Phone: '+14155550100', Account_Name: { id: account }, Owner: { id: ivanId } }] }));
    await h.api.post('/Deals', {
      data: [
        { Deal_Name: 'Open deal', Pipeline: 'Standard', Stage: 'Qualification', Contact_Name: { id: contactId }, Amount: 100 },
        { Deal_Name: 'Won deal', Pipeline: 'Standard', Stage: 'Closed Won', Contact_Name: { id: contactId }, Amount: 300 },
        { Deal_Name: 'Nobody’s deal', Pipeline: 'New', Stage: 'New Request' },
      ],
    });
    leadId = createdId(await h.api.post('/Leads', { data: [{ Last_Name: 'Lead One', Phone: '+380501112233', Company: 'Acme' }] }));
    await h.api.post('/Leads', { data: [{ Last_Name: 'Lead Two', Mobile: '+380501112233' }, { Last_Name: 'Lead Three', Company: 'acme corp' }] });
    await h.api.post('/Tasks', { data: [{ Subject: 'Call back', What_Id: { id: leadId }, $se_module: 'Leads' }] });
  });
  afterAll(() => h.emulator.close());

  const coql = (query: string) => h.api.post('/coql', { select_query: query });
  const column = async (query: string, name: string) => ((await coql(query)).data.data ?? []).map((r: Record<string, unknown>) => r[name]).sort();

  it('filters with =, !=, like, in, is null, is not null and bracketed and/or', async () => {
    expect(await column("select Last_Name from Leads where Phone = '+380501112233'", 'Last_Name')).toEqual(['Lead One']);
    expect(await column("select Last_Name from Leads where (Phone = '+380501112233' or Mobile = '+380501112233')", 'Last_Name')).toEqual(['Lead One', 'Lead Two']);
    expect(await column("select Last_Name from Leads where Company like '%acme%'", 'Last_Name')).toEqual(['Lead One', 'Lead Three']);
    expect(await column("select Last_Name from Leads where Company is null", 'Last_Name')).toEqual(['Lead Two']);
    expect(await column("select Last_Name from Leads where Company is not null and Company != 'Acme'", 'Last_Name')).toEqual(['Lead Three']);
    expect(await column("select Last_Name from Leads where Last_Name in ('Lead One', 'Lead Three')", 'Last_Name')).toEqual(['Lead One', 'Lead Three']);
    expect(await column("select Last_Name from Leads where ((Phone = '+380501112233' or Mobile = '+380501112233') and Last_Name not like '%One')", 'Last_Name')).toEqual(['Lead Two']);
    expect(await column('select Deal_Name from Deals where Amount >= 100 and Amount < 300', 'Deal_Name')).toEqual(['Open deal']);
  });

  it('compares strings literally with =', async () => {
    expect((await coql("select Last_Name from Leads where Phone = '380501112233'")).status).toBe(204);
  });

  it('joins through lookups with dots, owners included', async () => {
    const response = await coql("select Deal_Name, Stage, Contact_Name, Contact_Name.Phone, Owner from Deals where Contact_Name.Phone = '+14155550100' order by Deal_Name");
    expect(response.status).toBe(200);
    expect(response.data.data).toEqual([
      expect.objectContaining({ Deal_Name: 'Open deal', Stage: 'Qualification', Contact_Name: { id: contactId, name: 'Caller' }, 'Contact_Name.Phone': '+14155550100' }),
      expect.objectContaining({ Deal_Name: 'Won deal', Stage: 'Closed Won' }),
    ]);
    expect(response.data.info).toEqual({ count: 2, more_records: false });
    expect(await column(`select Last_Name from Contacts where Owner.id = '${ivanId}'`, 'Last_Name')).toEqual(['Caller']);
    expect(await column(`select Last_Name from Contacts where Owner = '${ivanId}'`, 'Last_Name')).toEqual(['Caller']);
    expect(await column("select Deal_Name from Deals where Contact_Name.Account_Name.Account_Name = 'Zylker'", 'Deal_Name')).toEqual(['Open deal', 'Won deal']);
    expect(await column("select Subject, What_Id->Leads.Last_Name from Tasks where What_Id->Leads.Last_Name = 'Lead One'", 'What_Id->Leads.Last_Name')).toEqual(['Lead One']);
  });

  it('pages with limit/offset and reports more_records', async () => {
    const first = await coql("select Last_Name from Leads where Last_Name like 'Lead%' order by Last_Name limit 2");
    expect(first.data.data.map((r: { Last_Name: string }) => r.Last_Name)).toEqual(['Lead One', 'Lead Three']);
    expect(first.data.info).toEqual({ count: 2, more_records: true });
    const second = await coql("select Last_Name from Leads where Last_Name like 'Lead%' order by Last_Name limit 2 offset 2");
    expect(second.data.data.map((r: { Last_Name: string }) => r.Last_Name)).toEqual(['Lead Two']);
    expect(second.data.info.more_records).toBe(false);
    const commaForm = await coql("select Last_Name from Leads where Last_Name like 'Lead%' order by Last_Name limit 1, 1");
    expect(commaForm.data.data[0].Last_Name).toBe('Lead Three');
  });

  it('reports syntax errors and invalid queries', async () => {
    const noWhere = await coql('select Last_Name from Leads');
    expect(noWhere.status).toBe(400);
    expect(noWhere.data).toMatchObject({ code: 'SYNTAX_ERROR', details: { clause: 'where' } });
    expect((await coql("selec Last_Name from Leads where Last_Name = 'x'")).data).toMatchObject({ code: 'SYNTAX_ERROR', details: { near: 'selec', line: 1, column: 1 } });
    expect((await coql("select Last_Name from Leads where Last_Name = 'x' and Company = 'y' and Phone = 'z'")).data.code).toBe('SYNTAX_ERROR');
    expect((await coql("select Last_Name from Leads where (Last_Name = 'x' and Company = 'y') and Phone = 'z'")).status).toBe(204);
    expect((await coql("select Nope from Leads where Last_Name = 'x'")).data).toMatchObject({ code: 'INVALID_QUERY', details: { column_name: 'Nope' } });
    expect((await coql("select Last_Name from Leads where Nope = 'x'")).data.code).toBe('INVALID_QUERY');
    expect((await coql("select Deal_Name from Deals where Amount = 'lots'")).data.code).toBe('INVALID_QUERY');
    expect((await coql("select Last_Name from Potatoes where Last_Name = 'x'")).data.code).toBe('INVALID_QUERY');
    expect((await coql("select Last_Name from Leads where Last_Name = 'x' limit 2001")).data.code).toBe('LIMIT_EXCEEDED');
    expect((await coql("select Deal_Name from Deals where Contact_Name.Account_Name.Owner.id = 'x'")).data.code).toBe('INVALID_QUERY');
    expect((await h.api.post('/coql', {})).data.code).toBe('REQUIRED_PARAM_MISSING');
  });

  it('returns converted leads like any row, and filters them on Converted__s (C4)', async () => {
    const { admin, api } = h;
    await admin.seedRecords('Leads', [
      { Last_Name: 'Converted one', Phone: '+380509999999', Converted__s: true },
      { Last_Name: 'Open one', Phone: '+380509999999' },
    ]);
    const names = async (where: string) =>
      ((await api.post('/coql', { select_query: `select Last_Name, Converted__s from Leads where ${where}` })).data.data as { Last_Name: string; Converted__s: boolean }[])
        .map((row) => `${row.Last_Name}:${row.Converted__s}`)
        .sort();
    expect(await names("Phone = '+380509999999'")).toEqual(['Converted one:true', 'Open one:false']);
    expect(await names("(Converted__s = false and Phone = '+380509999999')")).toEqual(['Open one:false']);
    expect(await names("Phone = '+380509999999' and Converted__s = 'true'")).toEqual(['Converted one:true']);
    expect((await api.post('/coql', { select_query: "select Last_Name from Leads where Converted__s = 'maybe'" })).data.code).toBe('INVALID_QUERY');
  });

  it('charges credits by LIMIT', async () => {
    const before = (await h.admin.state()).credits.used;
    await coql("select Last_Name from Leads where Last_Name = 'x' limit 1000");
    expect((await h.admin.state()).credits.used - before).toBe(2);
  });
});
