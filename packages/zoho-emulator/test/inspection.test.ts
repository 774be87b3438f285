import axios from 'axios';
import { createdId, startHarness, type Harness } from './harness';

describe('emulator: fault injection and inspection', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.emulator.close());
  beforeEach(() => h.admin.reset());

  const list = () => h.api.get('/Leads', { params: { fields: 'Last_Name' } });

  it('injects 500 INTERNAL_ERROR for the next N calls', async () => {
    await h.admin.addFault({ kind: 'error', status: 500, count: 2 });
    const failures = [await list(), await list()];
    expect(failures.map((r) => r.status)).toEqual([500, 500]);
    expect(failures[0].data).toEqual({ code: 'INTERNAL_ERROR', details: {}, message: 'Internal Server Error', status: 'error' });
    expect((await list()).status).toBe(204);
    expect(await h.admin.faults()).toEqual([]);
  });

  it('injects gateway errors as HTML and arbitrary Zoho errors, matched by module and method', async () => {
    await h.admin.addFault({ kind: 'error', status: 503, match: { module: 'Contacts' } });
    await h.admin.addFault({ kind: 'error', status: 403, code: 'NO_PERMISSION', message: 'permission denied', count: 1, match: { method: 'POST' } });
    const gateway = await h.api.get('/Contacts', { params: { fields: 'Last_Name' } });
    expect(gateway.status).toBe(503);
    expect(gateway.headers['content-type']).toMatch(/text\/html/);
    expect((await list()).status).toBe(204);
    const denied = await h.api.post('/Leads', { data: [{ Last_Name: 'X' }] });
    expect(denied.status).toBe(403);
    expect(denied.data).toEqual({ code: 'NO_PERMISSION', details: {}, message: 'permission denied', status: 'error' });
    expect(await h.admin.records('Leads')).toEqual([]);
    await h.admin.clearFaults();
    expect((await h.api.get('/Contacts', { params: { fields: 'Last_Name' } })).status).toBe(204);
  });

  it('commits a write and then drops the connection (timeout after commit)', async () => {
    await h.admin.addFault({ kind: 'timeout-after-commit', count: 1, delayMs: 50, match: { module: 'Leads' } });
    await expect(h.api.post('/Leads', { data: [{ Last_Name: 'Committed', Phone: '+380671234000' }] })).rejects.toThrow();
    const stored = await h.admin.records('Leads');
    expect(stored.map((r) => r.Last_Name)).toEqual(['Committed']);
    expect((await h.api.post('/Leads', { data: [{ Last_Name: 'Second' }] })).status).toBe(201);
    const log = await h.admin.requests();
    expect(log.filter((r) => r.endpoint === 'POST /crm/v8/Leads').map((r) => r.status)).toEqual([0, 201]);
  });

  it('holds matching calls in flight until the faults are cleared or the emulator is reset', async () => {
    const inFlight = async (count: number) => {
      while ((await h.admin.state()).concurrency.inFlight !== count);
    };
    await h.admin.addFault({ kind: 'hold', match: { module: 'Leads' } });
    const held = [list(), list()];
    await inFlight(2);
    expect((await h.api.get('/Contacts', { params: { fields: 'Last_Name' } })).status).toBe(204);
    await h.admin.clearFaults();
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([204, 204]);

    await h.admin.addFault({ kind: 'hold' });
    const heldUntilReset = list();
    await inFlight(1);
    await h.admin.reset();
    expect((await heldUntilReset).status).toBe(204);
  });

  it('adds latency to every CRM response', async () => {
    await h.admin.updateSettings({ latencyMs: 150 });
    const started = Date.now();
    await list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('stores seeded records verbatim and lists every record with all fields', async () => {
    const [lead] = await h.admin.seedRecords('Leads', [{ Last_Name: 'Seeded', Phone: '098 123 45 67', Converted__s: true }], { createdTime: '2024-01-01T10:00:00Z' });
    expect(lead).toMatchObject({ Last_Name: 'Seeded', Phone: '098 123 45 67', Converted__s: true, Created_Time: '2024-01-01T12:00:00+02:00' });
    const all = await h.admin.records('Leads');
    expect(all).toHaveLength(1);
    expect(Object.keys(all[0])).toEqual(expect.arrayContaining(['rs_utm_source', 'Owner', 'Modified_Time']));
    expect((await axios.post(`${h.emulator.url}/__emulator/records/Nope`, { records: [{}] }, { validateStatus: () => true })).status).toBe(404);
  });

  it('logs requests and counts them by endpoint', async () => {
    const id = createdId(await h.api.post('/Leads', { data: [{ Last_Name: 'Logged' }] }));
    await h.api.get(`/Leads/${id}`);
    await h.api.get(`/Leads/${id}`);
    const log = await h.admin.requests();
    expect(log.map((r) => [r.method, r.path.replace(id, '{id}'), r.status, r.module])).toEqual([
      ['POST', '/zohoapis/us/crm/v8/Leads', 201, 'Leads'],
      ['GET', '/zohoapis/us/crm/v8/Leads/{id}', 200, 'Leads'],
      ['GET', '/zohoapis/us/crm/v8/Leads/{id}', 200, 'Leads'],
    ]);
    expect(log[0].time).toMatch(/^\d{4}-/);
    const stats = await h.admin.stats();
    expect(stats.byEndpoint).toEqual({ 'POST /crm/v8/Leads': 1, 'GET /crm/v8/Leads/{id}': 2 });
    expect((await h.admin.requests(log[1].seq)).map((r) => r.seq)).toEqual([log[2].seq]);
  });

  it('resets records, settings and the clock', async () => {
    await h.api.post('/Leads', { data: [{ Last_Name: 'Temp' }] });
    await h.admin.updateSettings({ latencyMs: 10 });
    const before = Date.now();
    await h.admin.advanceClock(60 * 60 * 1000);
    const state = await h.admin.reset();
    expect(state.settings.latencyMs).toBe(0);
    expect(Date.parse(state.now)).toBeLessThan(before + 60_000);
    expect(await h.admin.records('Leads')).toEqual([]);
  });

  it('validates inspection requests', async () => {
    const response = await axios.post(`${h.emulator.url}/__emulator/faults`, { kind: 'error', status: 200 }, { validateStatus: () => true });
    expect(response.status).toBe(400);
  });
});
