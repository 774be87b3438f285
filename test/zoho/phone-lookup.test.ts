/** Requirement 2: finding leads, contacts and open deals by phone, immediately after they were written. */
import { startZoho, type TestZoho } from './support';

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
    const found = await zoho.client.findLeadsByPhone(['0501110001', '+380501110001']);
    expect(found).toEqual([
      expect.objectContaining({ id, module: 'Leads', ownerId: manager.id, name: 'Fresh', createdTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), phones: { Mobile: '+380501110001' } }),
    ]);
  });

  it('matches exact strings only', async () => {
    await create('Leads', { Last_Name: 'Formatted', Phone: '+38 050 111 0002' });
    expect(await zoho.client.findLeadsByPhone(['+380501110002'])).toEqual([]);
    expect(await zoho.client.findLeadsByPhone(['+38 050 111 0002'])).toHaveLength(1);
  });

  it('leaves converted leads out', async () => {
    await zoho.admin.seedRecords('Leads', [{ Last_Name: 'Converted', Phone: '+380501110003', Converted__s: true }]);
    expect(await zoho.client.findLeadsByPhone(['+380501110003'])).toEqual([]);
  });

  it('finds contacts by any of their phone fields', async () => {
    const id = await create('Contacts', { Last_Name: 'Contact', Home_Phone: '+380501110004' });
    expect((await zoho.client.findContactsByPhone(['+380501110004'])).map((c) => c.id)).toEqual([id]);
  });

  it("finds the open deals of the caller's contact, judging stages by forecast_type in each pipeline", async () => {
    const contact = await create('Contacts', { Last_Name: 'Buyer', Mobile: '+380501110005' });
    const open = await create('Deals', { Deal_Name: 'Open', Pipeline: 'New', Stage: 'In Progress', Contact_Name: { id: contact } });
    await create('Deals', { Deal_Name: 'Won', Pipeline: 'New', Stage: 'Closed Won', Contact_Name: { id: contact } });
    await create('Deals', { Deal_Name: 'Lost', Pipeline: 'Standard', Stage: 'Closed Lost to Competition', Contact_Name: { id: contact } });
    const deals = await zoho.client.findOpenDealsByPhone(['+380501110005']);
    expect(deals).toEqual([
      expect.objectContaining({ id: open, module: 'Deals', stage: 'In Progress', pipeline: 'New', contactId: contact, phones: { Mobile: '+380501110005' } }),
    ]);
  });

  it('answers no match with an empty list (Zoho answers 204)', async () => {
    expect(await zoho.client.findContactsByPhone(['+19995550000'])).toEqual([]);
    expect(await zoho.client.findOpenDealsByPhone(['+19995550000'])).toEqual([]);
    expect((await zoho.admin.requests()).some((r) => r.status === 204)).toBe(true);
  });
});
