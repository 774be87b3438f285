/** Requirement 4: one limiter per org keeps every caller together under Zoho's concurrency; credits are watched. */
import { startZoho, type TestZoho } from './support';

const count429 = async (zoho: TestZoho): Promise<number> => (await zoho.admin.requests()).filter((r) => r.status === 429).length;

describe("Zoho's limits", () => {
  let zoho: TestZoho;
  afterEach(() => zoho.close());

  it('keeps 60 concurrent callers on three clients under the Free edition limit of 5', async () => {
    zoho = await startZoho({ edition: 'free', latencyMs: 30 });
    const clients = [zoho.client, zoho.newClient(), zoho.newClient()];
    await Promise.all(Array.from({ length: 60 }, (_, i) => clients[i % 3].getOrg()));
    expect(await count429(zoho)).toBe(0);
  });

  it('keeps COQL lookups under the sub-concurrency limit of 10 on Ultimate (25)', async () => {
    zoho = await startZoho({ edition: 'ultimate', latencyMs: 30 });
    await zoho.client.findCaller(['+380000000000'], ['Leads']); // warms the fields cache
    await Promise.all(Array.from({ length: 40 }, (_, i) => zoho.client.findCaller([`+38050000${String(i).padStart(4, '0')}`], ['Leads'])));
    expect(await count429(zoho)).toBe(0);
  });

  it('logs a warning when fewer than 10% of the day\'s credits remain', async () => {
    zoho = await startZoho();
    await zoho.admin.updateSettings({ creditLimit: 20 });
    for (let i = 0; i < 17; i++) await zoho.client.getOrg();
    expect(zoho.logs.some((l) => l.includes('"level":40') && l.includes('credits'))).toBe(false);
    for (let i = 0; i < 2; i++) await zoho.client.getOrg();
    const warnings = zoho.logs.filter((l) => l.includes('"level":40') && l.includes('creditsRemaining'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0])).toMatchObject({ creditsRemaining: 1 });
  });
});
