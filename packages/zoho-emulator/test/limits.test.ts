import type { AxiosResponse } from 'axios';
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

  /**
   * Sends `count` requests while a hold keeps the admitted ones in flight, waits until every request is either
   * admitted (holding a slot) or answered, then releases them. No timer races the requests: an admitted request
   * cannot answer before the release, so the answers that come first are exactly the refusals, however slowly the
   * requests arrive.
   */
  async function sendHeld(count: number, send: () => Promise<AxiosResponse>) {
    await h.admin.addFault({ kind: 'hold' });
    const refused: AxiosResponse[] = [];
    const responses = Array.from({ length: count }, () => send().then((r) => (refused.push(r), r)));
    let inFlight = 0;
    while (inFlight + refused.length < count) inFlight = (await h.admin.state()).concurrency.inFlight;
    const refusedWhileHeld = [...refused];
    await h.admin.clearFaults();
    const statuses = (await Promise.all(responses)).map((r) => r.status).sort();
    return { inFlight, refused: refusedWhileHeld, statuses };
  }

  const tooManyRequests = (limit: string) => expect.objectContaining({ status: 429, data: expect.objectContaining({ code: 'TOO_MANY_REQUESTS', message: expect.stringContaining(limit) }) });

  it('answers 429 beyond the edition’s concurrency while requests are in flight', async () => {
    await h.admin.updateSettings({ edition: 'free' });
    const { inFlight, refused, statuses } = await sendHeld(8, list);
    expect(inFlight).toBe(5);
    expect(refused).toEqual(Array(3).fill(tooManyRequests('the concurrency limit')));
    expect(statuses).toEqual([204, 204, 204, 204, 204, 429, 429, 429]);
    expect((await list()).status).toBe(204);
  });

  it('counts a request in flight through its latency', async () => {
    await h.admin.updateSettings({ latencyMs: 2_000 });
    const request = { answered: false };
    const answer = list().finally(() => (request.answered = true));
    // The two seconds are generous: a single look at the state, however slow the host, lands inside them.
    let inFlight = 0;
    while (inFlight === 0 && !request.answered) inFlight = (await h.admin.state()).concurrency.inFlight;
    expect(inFlight).toBe(1);
    expect((await answer).status).toBe(204);
    expect((await h.admin.state()).concurrency.inFlight).toBe(0);
  });

  it('limits search and COQL to a sub-concurrency of 10', async () => {
    const searches = await sendHeld(12, () => h.api.get('/Leads/search', { params: { phone: '+380000000000' } }));
    expect(searches.inFlight).toBe(10);
    expect(searches.refused).toEqual([tooManyRequests('sub-concurrency'), tooManyRequests('sub-concurrency')]);
    expect(searches.statuses).toEqual([...Array(10).fill(204), 429, 429]);
    const queries = await sendHeld(11, () => h.api.post('/coql', { select_query: "select Last_Name from Leads where Last_Name = 'x'" }));
    expect(queries.refused).toEqual([tooManyRequests('sub-concurrency')]);
  });
});
