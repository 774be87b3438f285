/**
 * The contract the rest of callmatrix relies on, run against the emulator always and against a real Zoho CRM org
 * when ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN and ZOHO_DC are set (skipped otherwise).
 * Against a real org it writes one Lead named "callmatrix contract test <time>", which it leaves behind.
 */
import { createZohoClient, type DataCentre, type ZohoClient } from '../../zoho';
import { capturingLogger, startZoho, type TestZoho } from './support';

function contract(setUp: () => Promise<{ client: ZohoClient; tearDown(): Promise<void> }>): void {
  let client: ZohoClient;
  let tearDown: () => Promise<void>;
  beforeAll(async () => {
    ({ client, tearDown } = await setUp());
  });
  afterAll(() => tearDown());

  it('reads the org', async () => {
    expect(await client.getOrg()).toEqual(expect.objectContaining({ id: expect.any(String), company_name: expect.any(String) }));
  });

  it('lists active users with id, name, email and status', async () => {
    const users = await client.listUsers();
    expect(users.length).toBeGreaterThan(0);
    for (const user of users) expect(user).toEqual(expect.objectContaining({ id: expect.any(String), full_name: expect.any(String), email: expect.any(String), status: 'active' }));
  });

  it('describes fields with api_name and data_type, phones included', async () => {
    const fields = await client.getFields('Leads');
    expect(fields.find((f) => f.api_name === 'Last_Name')).toBeDefined();
    expect(fields.filter((f) => f.data_type === 'phone').map((f) => f.api_name)).toEqual(expect.arrayContaining(['Phone', 'Mobile']));
  });

  it('has Deals pipelines whose stages carry a forecast_type', async () => {
    const layouts = await client.getLayouts('Deals');
    expect(layouts.length).toBeGreaterThan(0);
    const stages = (await client.getPipelines(layouts[0].id)).flatMap((p) => p.maps);
    expect(stages.length).toBeGreaterThan(0);
    for (const stage of stages) expect(['Open', 'Closed Won', 'Closed Lost']).toContain(stage.forecast_type);
  });

  it('creates a lead once per key, finds it by phone at once, updates and reads it', async () => {
    const stamp = Date.now();
    const phone = `+1555${String(stamp).slice(-7)}`;
    const data = { Last_Name: `callmatrix contract test ${stamp}`, Phone: phone };
    const first = await client.createRecord('Leads', data, { idempotencyKey: `contract-${stamp}` });
    expect(first.created).toBe(true);
    expect(await client.createRecord('Leads', data, { idempotencyKey: `contract-${stamp}` })).toEqual({ id: first.id, created: false });
    expect((await client.findCaller([phone], ['Leads']).then((r) => r.leads)).map((l) => l.id)).toEqual([first.id]);
    await client.updateRecord('Leads', first.id, { Company: 'callmatrix' });
    expect(await client.getRecord('Leads', first.id)).toEqual(expect.objectContaining({ id: first.id, Company: 'callmatrix', Phone: phone }));
  });

  it('answers "none" for unknown phones and ids', async () => {
    expect(await client.findCaller(['+10000000000'], ['Contacts']).then((r) => r.contacts)).toEqual([]);
    expect(await client.findCaller(['+10000000000'], ['Deals']).then((r) => r.deals)).toEqual([]);
    expect(await client.getRecord('Leads', '1000000000000000000')).toBeNull();
  });
}

describe('Zoho client contract: emulator', () => {
  contract(async () => {
    const zoho: TestZoho = await startZoho({ seed: 'demo' });
    return { client: zoho.client, tearDown: () => zoho.close() };
  });
});

const { ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN, ZOHO_DC } = process.env;
const realOrg = ZOHO_CLIENT_ID && ZOHO_CLIENT_SECRET && ZOHO_REFRESH_TOKEN && ZOHO_DC;

(realOrg ? describe : describe.skip)('Zoho client contract: real Zoho CRM (needs ZOHO_* credentials)', () => {
  contract(async () => {
    const credentials = { dc: ZOHO_DC as DataCentre, clientId: ZOHO_CLIENT_ID!, clientSecret: ZOHO_CLIENT_SECRET!, refreshToken: ZOHO_REFRESH_TOKEN! };
    const client = createZohoClient({ credentials: { current: async () => credentials }, logger: capturingLogger().logger, requestTimeoutMs: 20_000 });
    return { client, tearDown: async () => undefined };
  });
});
