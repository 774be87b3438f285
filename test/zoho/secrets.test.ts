/** Requirement 6: tokens and secrets never reach logs, errors or results. */
import { startZoho } from './support';

describe('no secrets in logs', () => {
  it('logs no token or secret through refreshes, 401 retries, 429s and failures', async () => {
    const zoho = await startZoho();
    try {
      const results: unknown[] = [];
      results.push(await zoho.client.getOrg());
      await zoho.admin.advanceClock(3600 * 1000);
      results.push(await zoho.client.listUsers());
      await zoho.admin.addFault({ kind: 'error', status: 429, code: 'TOO_MANY_REQUESTS', count: 1 });
      results.push(await zoho.client.findCaller(['+380671234567'], ['Leads']).then((r) => r.leads));
      results.push(await zoho.client.createRecord('Leads', { Company: 'no last name' }, { idempotencyKey: 'x' }).catch((e: Error) => `${e.name} ${e.message} ${e.stack}`));
      await zoho.admin.revokeAllTokens();
      await zoho.admin.advanceClock(3600 * 1000);
      results.push(await zoho.client.getOrg().catch((e: Error) => `${e.name} ${e.message} ${JSON.stringify(e)}`));

      const everything = [...zoho.logs, JSON.stringify(results)].join('\n');
      expect(zoho.logs.length).toBeGreaterThan(5);
      // Zoho's tokens look like 1000.<hex>.<hex>; the emulator's do too.
      expect(everything).not.toMatch(/1000\.[0-9a-f]{32}\.[0-9a-f]{32}/);
      expect(everything).not.toContain(zoho.credentials.value!.refreshToken);
      expect(everything).not.toContain(zoho.emulator.clientSecret);
      expect(everything).not.toMatch(/Zoho-oauthtoken/i);
    } finally {
      await zoho.close();
    }
  });
});
