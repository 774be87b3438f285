/** Requirement 2: finding leads, contacts and open deals by phone, immediately after they were written. */
import { REQUESTED_SCOPES } from '../../activation/scopes';
import { authorize, startZoho, type TestZoho } from './support';

describe('phone lookups', () => {
  let zoho: TestZoho;
  beforeAll(async () => {
    // Search would not see these records for a minute; COQL must.
    zoho = await startZoho({ searchIndexLagMs: 60_000 });
  });
  afterAll(() => zoho.close());

  const create = async (module: 'Leads' | 'Contacts' | 'Deals', data: Record<string, unknown>): Promise<string> =>
    (await zoho.client.createRecord(module, data, { idempotencyKey: `${module}:${JSON.stringify(data)}` })).id;

  it('finds a lead created a moment ago by any of its phone fields, with its owner', async () => {
    const [, manager] = await zoho.client.listUsers();
    const id = await create('Leads', { Last_Name: 'Fresh', Mobile: '+380501110001', Owner: { id: manager.id } });
    const found = await zoho.client.findCaller(['0501110001', '+380501110001'], ['Leads']).then((r) => r.leads);
    expect(found).toEqual([
      expect.objectContaining({ id, module: 'Leads', ownerId: manager.id, name: 'Fresh', createdTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), phones: { Mobile: '+380501110001' } }),
    ]);
  });

  it('matches exact strings only', async () => {
    await create('Leads', { Last_Name: 'Formatted', Phone: '+38 050 111 0002' });
    expect(await zoho.client.findCaller(['+380501110002'], ['Leads']).then((r) => r.leads)).toEqual([]);
    expect(await zoho.client.findCaller(['+38 050 111 0002'], ['Leads']).then((r) => r.leads)).toHaveLength(1);
  });

  it('leaves converted leads out', async () => {
    await zoho.admin.seedRecords('Leads', [{ Last_Name: 'Converted', Phone: '+380501110003', Converted__s: true }]);
    expect(await zoho.client.findCaller(['+380501110003'], ['Leads']).then((r) => r.leads)).toEqual([]);
  });

  it('finds contacts by any of their phone fields', async () => {
    const id = await create('Contacts', { Last_Name: 'Contact', Home_Phone: '+380501110004' });
    expect((await zoho.client.findCaller(['+380501110004'], ['Contacts']).then((r) => r.contacts)).map((c) => c.id)).toEqual([id]);
  });

  it("finds the open deals of the caller's contact, judging stages by forecast_type in each pipeline", async () => {
    const contact = await create('Contacts', { Last_Name: 'Buyer', Mobile: '+380501110005' });
    const open = await create('Deals', { Deal_Name: 'Open', Pipeline: 'New', Stage: 'In Progress', Contact_Name: { id: contact } });
    await create('Deals', { Deal_Name: 'Won', Pipeline: 'New', Stage: 'Closed Won', Contact_Name: { id: contact } });
    await create('Deals', { Deal_Name: 'Lost', Pipeline: 'Standard', Stage: 'Closed Lost to Competition', Contact_Name: { id: contact } });
    const deals = await zoho.client.findCaller(['+380501110005'], ['Deals']).then((r) => r.deals);
    expect(deals).toEqual([
      expect.objectContaining({ id: open, module: 'Deals', stage: 'In Progress', pipeline: 'New', contactId: contact, phones: { Mobile: '+380501110005' } }),
    ]);
  });

  it('answers no match with an empty list (Zoho answers 204)', async () => {
    expect(await zoho.client.findCaller(['+19995550000'], ['Contacts']).then((r) => r.contacts)).toEqual([]);
    expect(await zoho.client.findCaller(['+19995550000'], ['Deals']).then((r) => r.deals)).toEqual([]);
    expect((await zoho.admin.requests()).some((r) => r.status === 204)).toBe(true);
  });
});

/** #15: the lookup's three queries in one composite request when granted, with the same answers as separately. */
describe('one caller lookup, one request', () => {
  let zoho: TestZoho;
  beforeAll(async () => {
    zoho = await startZoho({ searchIndexLagMs: 60_000 });
    zoho.credentials.value = await authorize(zoho.emulator, zoho.admin, REQUESTED_SCOPES);
  });
  afterAll(() => zoho.close());
  beforeEach(() => zoho.admin.clearRequests());

  const lookupRequests = async () => (await zoho.admin.requests()).map((r) => r.endpoint).filter((e) => !e.startsWith('POST /oauth') && !e.includes('/settings/'));

  it('finds an open lead, a contact and its open deal a moment after they were written, in one composite request (C4, M17)', async () => {
    const phone = '+380501120001';
    await zoho.admin.seedRecords('Leads', [{ Last_Name: 'Converted', Phone: phone, Converted__s: true }]);
    const lead = (await zoho.client.createRecord('Leads', { Last_Name: 'Open', Mobile: phone }, { idempotencyKey: 'lead-1' })).id;
    const contact = (await zoho.client.createRecord('Contacts', { Last_Name: 'Buyer', Phone: phone }, { idempotencyKey: 'contact-1' })).id;
    const deal = (await zoho.client.createRecord('Deals', { Deal_Name: 'Open', Pipeline: 'New', Stage: 'In Progress', Contact_Name: { id: contact } }, { idempotencyKey: 'deal-1' })).id;
    await zoho.client.createRecord('Deals', { Deal_Name: 'Won', Pipeline: 'New', Stage: 'Closed Won', Contact_Name: { id: contact } }, { idempotencyKey: 'deal-2' });
    await zoho.admin.clearRequests();
    const found = await zoho.client.findCaller([phone]);
    expect([found.leads.map((l) => l.id), found.contacts.map((c) => c.id), found.deals.map((d) => d.id)]).toEqual([[lead], [contact], [deal]]);
    expect(await lookupRequests()).toEqual(['POST /crm/v8/__composite_requests']);
    // Switched off: the same answer, one request per module.
    await zoho.admin.clearRequests();
    expect(await zoho.newClient({ composite: false }).findCaller([phone])).toEqual(found);
    expect(await lookupRequests()).toEqual(['POST /crm/v8/coql', 'POST /crm/v8/coql', 'POST /crm/v8/coql']);
  });

  it('still finds every match when more than the 25 rows a composite read may return match', async () => {
    const phone = '+380501120002';
    await zoho.admin.seedRecords('Leads', Array.from({ length: 30 }, (_, i) => ({ Last_Name: `Many ${i}`, Phone: phone })));
    const found = await zoho.client.findCaller([phone]);
    expect(found.leads).toHaveLength(30);
    // The composite, then the one query Zoho cut short, asked again alone.
    expect(await lookupRequests()).toEqual(['POST /crm/v8/__composite_requests', 'POST /crm/v8/coql']);
  });
});
