/** Requirement 3: errors are typed for Temporal; 429 is retried with backoff inside the client first. */
import { NON_RETRYABLE_ZOHO_ERRORS, ZohoAuthorizationError, ZohoRateLimitError, ZohoTransientError, ZohoValidationError } from '../../zoho';
import { authorize, startZoho, type TestZoho } from './support';

describe('typed Zoho errors', () => {
  it('name themselves as Temporal will (the class name), and list the non-retryable ones', () => {
    for (const type of [ZohoAuthorizationError, ZohoRateLimitError, ZohoTransientError, ZohoValidationError]) expect(type.errorType).toBe(type.name);
    expect(new ZohoTransientError('x').name).toBe('ZohoTransientError');
    expect([...NON_RETRYABLE_ZOHO_ERRORS].sort()).toEqual(['ZohoAuthorizationError', 'ZohoValidationError']);
  });

  describe('against the emulator', () => {
    let zoho: TestZoho;
    beforeEach(async () => {
      zoho = await startZoho();
    });
    afterEach(() => zoho.close());

    it('retries a 429 with backoff and succeeds when Zoho lets it', async () => {
      await zoho.admin.addFault({ kind: 'error', status: 429, code: 'TOO_MANY_REQUESTS', count: 2 });
      await expect(zoho.client.getOrg()).resolves.toBeTruthy();
      const statuses = (await zoho.admin.requests()).filter((r) => r.path.endsWith('/crm/v8/org')).map((r) => r.status);
      expect(statuses).toEqual([429, 429, 200]);
    });

    it('gives up after a few 429s with a retryable ZohoRateLimitError (credits used up)', async () => {
      await zoho.admin.updateSettings({ creditLimit: 1 });
      await zoho.client.getOrg();
      await expect(zoho.client.getOrg()).rejects.toMatchObject({ name: 'ZohoRateLimitError', retryable: true });
      expect((await zoho.admin.requests()).filter((r) => r.status === 429)).toHaveLength(5);
    }, 30_000);

    it('reports a missing scope (OAUTH_SCOPE_MISMATCH) as a non-retryable ZohoAuthorizationError', async () => {
      zoho.credentials.value = await authorize(zoho.emulator, zoho.admin, 'ZohoCRM.modules.ALL');
      const client = zoho.newClient();
      await expect(client.listUsers()).rejects.toMatchObject({ name: 'ZohoAuthorizationError', reason: 'scope', retryable: false });
    });
  });
});
