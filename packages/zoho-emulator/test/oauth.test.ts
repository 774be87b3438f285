import axios from 'axios';
import { crmClient, postForm, startHarness, type Harness } from './harness';

describe('emulator: Zoho Accounts OAuth', () => {
  let h: Harness;
  let tokenUrl: string;
  const client = (): Record<string, string> => ({ client_id: h.emulator.clientId, client_secret: h.emulator.clientSecret });

  beforeAll(async () => {
    h = await startHarness({ accessTokenTtlSeconds: 3600 });
    tokenUrl = `${h.emulator.accountsUrl}/oauth/v2/token`;
  });
  afterAll(() => h.emulator.close());
  beforeEach(() => h.admin.reset());

  const exchange = async (code: string, extra: Record<string, string> = {}) => postForm(tokenUrl, { grant_type: 'authorization_code', code, ...client(), ...extra });
  const refresh = async (refreshToken: string, url = tokenUrl) => postForm(url, { grant_type: 'refresh_token', refresh_token: refreshToken, ...client() });

  it('exchanges a grant code once for access and refresh tokens pointing at the api domain', async () => {
    const { code } = await h.admin.mintGrantCode();
    const first = await exchange(code);
    expect(first.status).toBe(200);
    expect(first.data).toMatchObject({ token_type: 'Bearer', expires_in: 3600, api_domain: h.emulator.apiDomain });
    expect(typeof first.data.access_token).toBe('string');
    expect(typeof first.data.refresh_token).toBe('string');

    const again = await exchange(code);
    expect(again.status).toBe(200);
    expect(again.data).toEqual({ error: 'invalid_code' });
  });

  it('rejects expired and unknown grant codes with invalid_code in a 200 body', async () => {
    const { code } = await h.admin.mintGrantCode();
    await h.admin.advanceClock(3 * 60 * 1000 + 1000);
    expect((await exchange(code)).data).toEqual({ error: 'invalid_code' });
    expect((await exchange('1000.nope.nope')).data).toEqual({ error: 'invalid_code' });
  });

  it('answers invalid_client for a wrong secret and at another DC', async () => {
    const { code } = await h.admin.mintGrantCode();
    const wrongSecret = await postForm(tokenUrl, { grant_type: 'authorization_code', code, client_id: h.emulator.clientId, client_secret: 'wrong' });
    expect(wrongSecret.data).toEqual({ error: 'invalid_client' });
    const wrongDc = await refresh(h.refreshToken, `${h.emulator.accountsUrlFor('eu')}/oauth/v2/token`);
    expect(wrongDc.status).toBe(200);
    expect(wrongDc.data).toEqual({ error: 'invalid_client' });
  });

  it('refreshes with parameters in the form body or the query string, without a new refresh token', async () => {
    const viaBody = await refresh(h.refreshToken);
    expect(viaBody.data).toMatchObject({ token_type: 'Bearer', expires_in: 3600, api_domain: h.emulator.apiDomain });
    expect(viaBody.data.refresh_token).toBeUndefined();
    const query = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: h.refreshToken, ...client() });
    const viaQuery = await axios.post(`${tokenUrl}?${query.toString()}`, undefined, { validateStatus: () => true });
    expect(typeof viaQuery.data.access_token).toBe('string');
    const api = crmClient(h.emulator.apiDomain, viaQuery.data.access_token);
    expect((await api.get('/users', { params: { type: 'CurrentUser' } })).status).toBe(200);
  });

  it('expires access tokens on the emulator clock with the exact INVALID_TOKEN body', async () => {
    const { data } = await refresh(h.refreshToken);
    const api = crmClient(h.emulator.apiDomain, data.access_token as string);
    expect((await api.get('/org')).status).toBe(200);
    await h.admin.advanceClock(3600 * 1000);
    const expired = await api.get('/org');
    expect(expired.status).toBe(401);
    expect(expired.data).toEqual({ code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' });
  });

  it('can answer AUTHENTICATION_FAILURE for dead tokens instead', async () => {
    await h.admin.updateSettings({ invalidTokenCode: 'AUTHENTICATION_FAILURE' });
    const response = await crmClient(h.emulator.apiDomain, '1000.unknown.token').get('/org');
    expect(response.status).toBe(401);
    expect(response.data.code).toBe('AUTHENTICATION_FAILURE');
  });

  it('requires the Zoho-oauthtoken scheme', async () => {
    const response = await axios.get(`${h.emulator.apiDomain}/crm/v8/org`, { headers: { Authorization: `Bearer ${h.accessToken}` }, validateStatus: () => true });
    expect(response.status).toBe(401);
  });

  it('does not accept a token at another DC’s api domain', async () => {
    const response = await crmClient(h.emulator.apiDomain.replace('/us', '/eu'), h.accessToken).get('/org');
    expect(response.status).toBe(401);
    expect(response.data.code).toBe('INVALID_TOKEN');
  });

  it('revokes a refresh token and its access tokens', async () => {
    const { code } = await h.admin.mintGrantCode();
    const tokens = (await exchange(code)).data;
    const api = crmClient(h.emulator.apiDomain, tokens.access_token as string);
    const revoked = await postForm(`${h.emulator.accountsUrl}/oauth/v2/token/revoke?token=${String(tokens.refresh_token)}`, {});
    expect(revoked.data).toEqual({ status: 'success' });
    expect((await refresh(tokens.refresh_token as string)).data).toEqual({ error: 'invalid_code' });
    expect((await api.get('/org')).status).toBe(401);
  });

  it('throttles more than 10 refreshes per 10 minutes per refresh token with HTTP 400 Access Denied', async () => {
    const { code } = await h.admin.mintGrantCode();
    const { refresh_token: refreshToken } = (await exchange(code)).data as { refresh_token: string };
    for (let i = 0; i < 10; i++) expect((await refresh(refreshToken)).status).toBe(200);
    const throttled = await refresh(refreshToken);
    expect(throttled.status).toBe(400);
    expect(throttled.data).toEqual({ error: 'Access Denied', error_description: 'You have made too many requests continuously. Please try again after some time.' });
    await h.admin.advanceClock(10 * 60 * 1000);
    expect((await refresh(refreshToken)).status).toBe(200);
  });

  it('revokes every token when the admin changes the password, and issues a new grant code', async () => {
    const { code: oldCode } = await h.admin.mintGrantCode();
    const newGrant = await h.admin.revokeAllTokens();
    expect((await h.api.get('/org')).status).toBe(401);
    expect((await refresh(h.refreshToken)).data).toEqual({ error: 'invalid_code' });
    expect((await exchange(oldCode)).data).toEqual({ error: 'invalid_code' });
    const fresh = await exchange(newGrant.code);
    expect((await crmClient(h.emulator.apiDomain, fresh.data.access_token as string).get('/org')).status).toBe(200);
    h.api = crmClient(h.emulator.apiDomain, fresh.data.access_token as string);
    h.refreshToken = fresh.data.refresh_token as string;
  });

  describe('browser authorization (server-based app)', () => {
    const authorize = (dc: 'us' | 'eu', params: Record<string, string>) =>
      axios.get(`${h.emulator.accountsUrlFor(dc)}/oauth/v2/auth`, { params, maxRedirects: 0, validateStatus: () => true });
    const base = (): Record<string, string> => ({
      scope: 'ZohoCRM.modules.ALL,ZohoCRM.users.READ',
      client_id: h.emulator.clientId,
      response_type: 'code',
      access_type: 'offline',
      redirect_uri: 'http://localhost:9999/callback',
      state: 'xyz',
    });

    it('redirects with code, location and accounts-server, even when started at another DC', async () => {
      const response = await authorize('eu', base());
      expect(response.status).toBe(302);
      const location = new URL(response.headers.location as string);
      expect(location.origin + location.pathname).toBe('http://localhost:9999/callback');
      expect(location.searchParams.get('location')).toBe('us');
      expect(location.searchParams.get('accounts-server')).toBe(h.emulator.accountsUrl);
      expect(location.searchParams.get('state')).toBe('xyz');
      const code = location.searchParams.get('code') as string;

      expect((await exchange(code, { redirect_uri: 'http://localhost:9999/other' })).data).toEqual({ error: 'invalid_redirect_uri' });
      const tokens = await exchange(code, { redirect_uri: 'http://localhost:9999/callback' });
      expect(typeof tokens.data.refresh_token).toBe('string');
      const api = crmClient(tokens.data.api_domain as string, tokens.data.access_token as string);
      expect((await api.get('/users', { params: { type: 'ActiveUsers' } })).status).toBe(200);
      expect((await api.get('/org')).data.code).toBe('OAUTH_SCOPE_MISMATCH');
    });

    it('issues no refresh token for online access and rejects unknown clients', async () => {
      const online = await authorize('us', { ...base(), access_type: 'online' });
      const code = new URL(online.headers.location as string).searchParams.get('code') as string;
      const tokens = await exchange(code, { redirect_uri: 'http://localhost:9999/callback' });
      expect(tokens.data.access_token).toBeDefined();
      expect(tokens.data.refresh_token).toBeUndefined();
      expect((await authorize('us', { ...base(), client_id: 'nope' })).data).toEqual({ error: 'invalid_client' });
    });
  });

  describe('scopes', () => {
    it('needs ZohoSearch.securesearch.READ for search and ZohoCRM.coql.READ for COQL', async () => {
      const auth = await h.admin.authorize({ scope: 'ZohoCRM.modules.ALL' });
      const api = crmClient(auth.apiDomain, auth.accessToken);
      const search = await api.get('/Leads/search', { params: { phone: '+380501112233' } });
      expect(search.status).toBe(401);
      expect(search.data).toEqual({ code: 'OAUTH_SCOPE_MISMATCH', details: {}, message: 'invalid oauth scope to access this URL', status: 'error' });
      const coql = await api.post('/coql', { select_query: "select Last_Name from Leads where Last_Name = 'x'" });
      expect(coql.data.code).toBe('OAUTH_SCOPE_MISMATCH');
      expect((await api.get('/Leads', { params: { fields: 'Last_Name' } })).status).toBe(204);
      expect((await api.get('/settings/fields', { params: { module: 'Leads' } })).data.code).toBe('OAUTH_SCOPE_MISMATCH');
    });

    it('distinguishes module operations', async () => {
      const auth = await h.admin.authorize({ scope: 'ZohoCRM.modules.leads.READ,ZohoCRM.settings.fields.READ' });
      const api = crmClient(auth.apiDomain, auth.accessToken);
      expect((await api.get('/Leads', { params: { fields: 'Last_Name' } })).status).toBe(204);
      expect((await api.post('/Leads', { data: [{ Last_Name: 'X' }] })).data.code).toBe('OAUTH_SCOPE_MISMATCH');
      expect((await api.get('/Contacts', { params: { fields: 'Last_Name' } })).data.code).toBe('OAUTH_SCOPE_MISMATCH');
      expect((await api.get('/settings/fields', { params: { module: 'Leads' } })).status).toBe(200);
    });
  });
});
