/** Requirement 3: errors are typed for Temporal; 429 is retried with backoff inside the client first. */
import { NON_RETRYABLE_ZOHO_ERRORS, ZohoAuthorizationError, ZohoRateLimitError, ZohoTransientError, ZohoValidationError } from '../../zoho';
import { failureOf } from '../../zoho/http';
import { authorize, startZoho, type TestZoho } from './support';

describe('typed Zoho errors', () => {
  it('name themselves as Temporal will (the class name), and list the non-retryable ones', () => {
    for (const type of [ZohoAuthorizationError, ZohoRateLimitError, ZohoTransientError, ZohoValidationError]) expect(type.errorType).toBe(type.name);
    expect(new ZohoTransientError('x').name).toBe('ZohoTransientError');
    expect([...NON_RETRYABLE_ZOHO_ERRORS].sort()).toEqual(['ZohoAuthorizationError', 'ZohoValidationError']);
  });

  describe('R1: which refusals break the integration, and which fail only the call at hand', () => {
    const update = 'update Deals record 5843104000000000178';
    const zohoError = (code: string, message: string, details: Record<string, unknown> = {}) => ({ code, details, message, status: 'error' });

    it('NO_PERMISSION is the profile\'s permission (Zoho names it, or not): every call suspends until re-activation', () => {
      for (const body of [
        zohoError('NO_PERMISSION', 'permission denied', { permissions: ['Crm_Implied_Edit_Deals'] }),
        zohoError('NO_PERMISSION', 'Permission denied to update'),
        { data: [zohoError('NO_PERMISSION', 'permission denied', { permissions: ['Crm_Implied_Edit_Deals'] })] },
      ]) {
        expect(failureOf({ status: 403, body }, update)).toMatchObject({ name: 'ZohoAuthorizationError', reason: 'permission', retryable: false });
      }
      expect(failureOf({ status: 401, body: zohoError('OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL') }, update)).toMatchObject({ name: 'ZohoAuthorizationError', reason: 'scope' });
    });

    it('CANNOT_PERFORM_ACTION refuses one record: the call fails, naming the record and what to do', () => {
      const failure = failureOf({ status: 400, body: { data: [zohoError('CANNOT_PERFORM_ACTION', 'no permission to perform an action on this record')] } }, update);
      expect(failure).toMatchObject({ name: 'ZohoValidationError', code: 'CANNOT_PERFORM_ACTION', retryable: false });
      expect(failure.message).toMatch(/^Zoho rejected update Deals record 5843104000000000178: CANNOT_PERFORM_ACTION \(no permission to perform an action on this record\): /);
      expect(failure.message).toMatch(/the authorising Zoho user may not change this record .*give them access to it in Zoho.*`callmatrix calls retry`/);
    });

    it('bad data fails the call with Zoho\'s words alone; a 5xx is retried', () => {
      const failure = failureOf({ status: 400, body: { data: [zohoError('INVALID_DATA', 'invalid data', { api_name: 'Stage' })] } }, update);
      expect(failure).toMatchObject({ name: 'ZohoValidationError', field: 'Stage', message: `Zoho rejected ${update}: INVALID_DATA on field Stage (invalid data)` });
      expect(failureOf({ status: 503, body: '<html></html>' }, update)).toMatchObject({ name: 'ZohoTransientError', retryable: true });
    });
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
