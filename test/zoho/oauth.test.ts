/** Requirement 1: OAuth on every DC, one shared token per org, refresh ahead of expiry, 401 handling, revocation. */
import { ACCOUNTS_SERVERS, createZohoClient, ZohoAuthorizationError, type DataCentre } from '../../zoho';
import { ZohoOrgState } from '../../zoho/org-state';
import { storeFixture } from '../activation/support';
import { authorize, capturingLogger, MutableCredentials, startZoho, type TestZoho } from './support';

const DCS: DataCentre[] = ['us', 'eu', 'in', 'au', 'jp', 'ca', 'sa', 'cn'];

const refreshes = async (zoho: TestZoho): Promise<number> =>
  (await zoho.admin.requests()).filter((r) => r.endpoint === 'POST /oauth/v2/token (refresh_token)').length;

describe('Zoho OAuth', () => {
  it('knows the accounts server of every data centre', () => {
    expect(ACCOUNTS_SERVERS).toEqual({
      us: 'https://accounts.zoho.com',
      eu: 'https://accounts.zoho.eu',
      in: 'https://accounts.zoho.in',
      au: 'https://accounts.zoho.com.au',
      jp: 'https://accounts.zoho.jp',
      ca: 'https://accounts.zohocloud.ca',
      sa: 'https://accounts.zoho.sa',
      cn: 'https://accounts.zoho.com.cn',
    });
  });

  it.each(DCS)('works in the %s data centre through the api_domain the token response names', async (dc) => {
    const zoho = await startZoho({ dc });
    try {
      expect((await zoho.client.getOrg()).id).toBeTruthy();
      const paths = (await zoho.admin.requests()).map((r) => r.path);
      expect(paths.some((p) => p.startsWith(`/zohoapis/${dc}/crm/v8/org`))).toBe(true);
    } finally {
      await zoho.close();
    }
  });

  it("is refused by another DC's accounts server (invalid_client) with a ZohoAuthorizationError", async () => {
    const zoho = await startZoho({ dc: 'eu' });
    try {
      const credentials = { ...zoho.credentials.value!, dc: 'us' as const, accountsUrl: zoho.emulator.accountsUrlFor('us') };
      const client = createZohoClient({ credentials: new MutableCredentials(credentials), logger: capturingLogger().logger });
      await expect(client.getOrg()).rejects.toMatchObject({ name: 'ZohoAuthorizationError', reason: 'revoked' });
    } finally {
      await zoho.close();
    }
  });

  describe('with one emulated org', () => {
    let zoho: TestZoho;
    beforeEach(async () => {
      zoho = await startZoho({ accessTokenTtlSeconds: 3600 });
    });
    afterEach(() => zoho.close());

    it('shares one access token between clients and 50 concurrent callers', async () => {
      const clients = [zoho.client, zoho.newClient(), zoho.newClient()];
      await Promise.all(Array.from({ length: 50 }, (_, i) => clients[i % 3].getOrg()));
      expect(await refreshes(zoho)).toBe(1);
    });

    it('refreshes once and retries when Zoho answers 401 INVALID_TOKEN, even under 50 concurrent callers', async () => {
      await zoho.client.getOrg();
      const before = await refreshes(zoho);
      await zoho.admin.advanceClock(3600 * 1000); // the emulator's token expired; the client's clock does not know
      const orgs = await Promise.all(Array.from({ length: 50 }, () => zoho.client.getOrg()));
      expect(orgs).toHaveLength(50);
      expect((await refreshes(zoho)) - before).toBeLessThanOrEqual(2);
      expect((await zoho.admin.requests()).some((r) => r.status === 401)).toBe(true);
    });

    it('treats AUTHENTICATION_FAILURE like INVALID_TOKEN', async () => {
      await zoho.client.getOrg();
      await zoho.admin.updateSettings({ invalidTokenCode: 'AUTHENTICATION_FAILURE' });
      await zoho.admin.advanceClock(3600 * 1000);
      await expect(zoho.client.getOrg()).resolves.toBeTruthy();
    });

    it('reports a revoked authorisation (invalid_code in an HTTP 200 body) as ZohoAuthorizationError, then recovers on re-activation', async () => {
      await zoho.client.getOrg();
      await zoho.admin.revokeAllTokens();
      await expect(zoho.client.getOrg()).rejects.toBeInstanceOf(ZohoAuthorizationError);
      const before = await refreshes(zoho);
      // Later callers fail at once, without knocking on Accounts again.
      await expect(zoho.client.getOrg()).rejects.toMatchObject({ reason: 'revoked' });
      expect(await refreshes(zoho)).toBe(before);
      // Re-activation stores a new refresh token; the client picks it up on its next refresh.
      zoho.credentials.value = await authorize(zoho.emulator, zoho.admin);
      await expect(zoho.client.getOrg()).resolves.toBeTruthy();
    });

    it("shares the access token between the deployment's processes through the activation file, and replaces a rejected one once", async () => {
      const fixture = storeFixture();
      const stored = await fixture.open();
      const { dc, clientId, clientSecret, refreshToken, accountsUrl } = zoho.credentials.value!;
      await stored.connect({ dc, clientId, clientSecret, refreshToken, accountsUrl, connectedAt: new Date().toISOString(), via: 'grant-code' });
      // Each client as a process of its own: its own token cache, the same file.
      const processClient = async () => createZohoClient({ credentials: await fixture.open(), shared: new ZohoOrgState('professional'), logger: capturingLogger().logger, requestTimeoutMs: 5_000 });
      const before = await refreshes(zoho);
      const [worker, shim, cli] = [await processClient(), await processClient(), await processClient()];
      await worker.getOrg();
      await shim.getOrg();
      await cli.getOrg();
      expect((await refreshes(zoho)) - before).toBe(1);

      // Zoho rejects the kept token: one process refreshes and keeps the new one; the others take it from the file.
      await zoho.admin.advanceClock(3600 * 1000);
      await worker.getOrg();
      await shim.getOrg();
      await cli.getOrg();
      expect((await refreshes(zoho)) - before).toBe(2);
    });

    it('says "not connected" when no credentials are stored', async () => {
      const client = createZohoClient({ credentials: new MutableCredentials(null), logger: capturingLogger().logger });
      await expect(client.getOrg()).rejects.toMatchObject({ name: 'ZohoAuthorizationError', reason: 'not_connected' });
    });
  });

  it('refreshes ahead of expiry, so no call meets an expired token', async () => {
    const zoho = await startZoho({ accessTokenTtlSeconds: 2 });
    try {
      await zoho.client.getOrg();
      await new Promise((resolve) => setTimeout(resolve, 1_900));
      await zoho.client.getOrg();
      await zoho.client.getOrg();
      expect((await zoho.admin.requests()).filter((r) => r.status === 401)).toEqual([]);
      expect(await refreshes(zoho)).toBe(2); // first use, then the early refresh
    } finally {
      await zoho.close();
    }
  });
});
