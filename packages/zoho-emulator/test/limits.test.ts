import { crmClient, startHarness, type Harness } from './harness';

describe('emulator: credits and concurrency', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.emulator.close());
  beforeEach(() => h.admin.reset());

  const list = () => h.api.get('/Leads', { params: { fields: 'Last_Name' } });

  it('starts with the edition’s daily credits', async () => {
    expect((await h.admin.state()).credits.limit).toBe(50_000 + 500 * 4);
  });

  it('reports remaining credits only after half are used, then answers 429 without Retry-After', async () => {
    await h.admin.updateSettings({ creditLimit: 6 });
    const headers = [];
    for (let i = 0; i < 6; i++) headers.push((await list()).headers['x-api-credits-remaining']);
    expect(headers).toEqual([undefined, undefined, '3', '2', '1', '0']);
    const refused = await list();
    expect(refused.status).toBe(429);
    expect(refused.data.code).toBe('TOO_MANY_REQUESTS');
    expect(refused.headers['retry-after']).toBeUndefined();

    // A day later the credits are back (the access token has long expired, so authorise again).
    await h.admin.advanceClock(24 * 60 * 60 * 1000);
    const auth = await h.admin.authorize();
    expect((await crmClient(auth.apiDomain, auth.accessToken).get('/Leads', { params: { fields: 'Last_Name' } })).status).toBe(204);
  });

  it('charges writes per 10 records and conversion 5', async () => {
    const used = async () => (await h.admin.state()).credits.used;
    const start = await used();
    await h.api.post('/Leads', { data: Array.from({ length: 25 }, (_, i) => ({ Last_Name: `L${i}` })) });
    expect((await used()) - start).toBe(3);
    const [lead] = await h.admin.seedRecords('Leads', [{ Last_Name: 'Convert me' }]);
    await h.api.post(`/Leads/${lead.id as string}/actions/convert`, {});
    expect((await used()) - start).toBe(8);
  });

  it('answers 429 beyond the edition’s concurrency while requests are in flight, latency included', async () => {
    await h.admin.updateSettings({ edition: 'free', latencyMs: 300 });
    const statuses = (await Promise.all(Array.from({ length: 8 }, () => list()))).map((r) => r.status).sort();
    expect(statuses).toEqual([204, 204, 204, 204, 204, 429, 429, 429]);
    expect((await list()).status).toBe(204);
  });

  it('limits search and COQL to a sub-concurrency of 10', async () => {
    await h.admin.updateSettings({ latencyMs: 300 });
    const searches = Array.from({ length: 12 }, () => h.api.get('/Leads/search', { params: { phone: '+380000000000' } }));
    const statuses = (await Promise.all(searches)).map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(10).fill(204), 429, 429]);
    const refused = (await Promise.all(Array.from({ length: 11 }, () => h.api.post('/coql', { select_query: "select Last_Name from Leads where Last_Name = 'x'" })))).find((r) => r.status === 429);
    expect(refused?.data.code).toBe('TOO_MANY_REQUESTS');
  });
});
