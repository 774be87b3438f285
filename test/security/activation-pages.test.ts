/**
 * Issue 14 (activation): with a valid session cookie, a post from another origin or without the session's CSRF
 * token changes nothing; sessions expire and end at sign-out and when the admin token changes; the pages cannot be
 * framed; cookies are Secure over TLS, also behind a trusted proxy; failed sign-ins, by the form or a bearer token,
 * are logged and limited per source.
 */
import axios, { type AxiosResponse } from 'axios';
import type { ActivationStore } from '../../activation';
import { SIGN_IN_FAILURES } from '../../activation/routes';
import { startActivationServer, storeFixture, type ActivationServer, type StoreFixture } from '../activation/support';

const ADMIN_TOKEN = 'admin-token-for-the-tests-0123456789';

describe('activation pages under attack', () => {
  let fixture: StoreFixture;
  let store: ActivationStore;
  const servers: ActivationServer[] = [];

  async function pages(options: { publicUrl?: string; trustProxy?: boolean; adminToken?: string } = {}) {
    const server = await startActivationServer({ ...fixture, activation: store }, { adminToken: ADMIN_TOKEN, accountsUrl: 'http://127.0.0.1:9/accounts/us', logger: fixture.logger, ...options });
    servers.push(server);
    const { base } = server;
    const http = (method: 'GET' | 'POST', path: string, data?: Record<string, string>, headers: Record<string, string> = {}): Promise<AxiosResponse<string>> =>
      axios.request({
        method,
        url: `${base}${path}`,
        data: data && new URLSearchParams(data).toString(),
        headers: { ...(data ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers },
        maxRedirects: 0,
        validateStatus: () => true,
        responseType: 'text',
      });
    const signIn = async (headers: Record<string, string> = {}) => {
      const login = await http('POST', '/activation/login', { token: ADMIN_TOKEN }, headers);
      const cookie = String(login.headers['set-cookie']?.[0] ?? '');
      const session = cookie.split(';')[0];
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await http('GET', '/activation', undefined, { cookie: session })).data)?.[1] ?? '';
      return { login, cookie, session, csrf };
    };
    return { base, http, signIn };
  }

  beforeAll(async () => {
    fixture = storeFixture();
    store = await fixture.open();
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  const startForm = { dc: 'us', clientId: 'attacker-client', clientSecret: 'attacker-secret', resend: 'on' };

  it('refuses a cross-origin post, and a post without the CSRF token, even with a valid session cookie', async () => {
    const { base, http, signIn } = await pages();
    const { session, csrf } = await signIn();
    expect(csrf).not.toBe('');
    const refused = [
      http('POST', '/activation/start', { ...startForm, _csrf: csrf }, { cookie: session, origin: 'http://127.0.0.1:1' }),
      http('POST', '/activation/start', { ...startForm, _csrf: csrf }, { cookie: session, 'sec-fetch-site': 'same-site' }),
      http('POST', '/activation/start', startForm, { cookie: session }),
      http('POST', '/activation/start', { ...startForm, _csrf: 'forged' }, { cookie: session }),
    ];
    for (const response of await Promise.all(refused)) {
      expect(response.status).toBe(403);
      expect(response.headers.location).toBeUndefined();
    }
    // The same form from the page itself goes on to Zoho.
    const sent = await http('POST', '/activation/start', { ...startForm, _csrf: csrf }, { cookie: session, origin: base, 'sec-fetch-site': 'same-origin' });
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toMatch(/^http:\/\/127\.0\.0\.1:9\/accounts\/us\/oauth\/v2\/auth\?/);
  });

  it('forbids framing on every page, signed in or not', async () => {
    const { http, signIn } = await pages();
    const { session } = await signIn();
    for (const response of [await http('GET', '/activation'), await http('GET', '/activation', undefined, { cookie: session })]) {
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(response.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('ends a session at sign-out and when it expires', async () => {
    const { http, signIn } = await pages();
    const { login, session, csrf } = await signIn();
    expect(login.headers['set-cookie']?.[0]).toMatch(/Max-Age=7200; HttpOnly; SameSite=Lax/);
    expect((await http('GET', '/activation', undefined, { cookie: session })).status).toBe(200);
    const out = await http('POST', '/activation/logout', { _csrf: csrf }, { cookie: session });
    expect(out.status).toBe(303);
    expect(out.headers['set-cookie']?.[0]).toMatch(/Max-Age=0/);
    expect((await http('GET', '/activation', undefined, { cookie: session })).status).toBe(401);

    await store.addSession('an-expired-session-id', Date.now() - 1);
    expect((await http('GET', '/activation', undefined, { cookie: 'callmatrix_activation=an-expired-session-id' })).status).toBe(401);
  });

  it('ends every session when the admin token changes: a session signed in with a leaked token does not outlive it', async () => {
    const before = await pages();
    const { session } = await before.signIn();
    expect((await before.http('GET', '/activation', undefined, { cookie: session })).status).toBe(200);
    // The operator sets a new CALLMATRIX_ADMIN_TOKEN and restarts the shim: same activation file, same sessions.
    const rotated = 'a-new-admin-token-after-a-leak-0123456789';
    const after = await pages({ adminToken: rotated });
    expect((await after.http('GET', '/activation', undefined, { cookie: session })).status).toBe(401);
    expect((await after.http('POST', '/activation/login', { token: rotated })).status).toBe(303);
  });

  it('marks the cookie Secure over TLS: an https public URL, or a trusted proxy\'s X-Forwarded-Proto', async () => {
    const direct = await pages();
    expect((await direct.signIn({ 'x-forwarded-proto': 'https' })).cookie).not.toContain('Secure');
    const proxied = await pages({ trustProxy: true });
    expect((await proxied.signIn({ 'x-forwarded-proto': 'https' })).cookie).toMatch(/; Secure$/);
    expect((await proxied.signIn({ 'x-forwarded-proto': 'http' })).cookie).not.toContain('Secure');
    const https = await pages({ publicUrl: 'https://callmatrix.example' });
    expect((await https.signIn({ origin: 'https://callmatrix.example' })).cookie).toMatch(/; Secure$/);
  });

  it('logs failed sign-ins and refuses a source after too many, even with the right token', async () => {
    const { http } = await pages({ trustProxy: true });
    const from = (address: string) => ({ 'x-forwarded-for': address });
    for (let i = 0; i < SIGN_IN_FAILURES.limit; i += 1) {
      expect((await http('POST', '/activation/login', { token: 'wrong-token-wrong-token' }, from('203.0.113.7'))).status).toBe(401);
    }
    const blocked = await http('POST', '/activation/login', { token: ADMIN_TOKEN }, from('203.0.113.7'));
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBe('900');
    // Another source is not held back.
    expect((await http('POST', '/activation/login', { token: ADMIN_TOKEN }, from('198.51.100.1'))).status).toBe(303);
    const failures = fixture.lines.filter((line) => line.includes('sign-in failed'));
    expect(failures).toHaveLength(SIGN_IN_FAILURES.limit);
    expect(failures[0]).toContain('203.0.113.7');
    for (const line of fixture.lines) expect(line).not.toContain(ADMIN_TOKEN);
  });

  it('counts a wrong bearer token as a failed sign-in: a script cannot guess the admin token past the limit', async () => {
    const { http } = await pages({ trustProxy: true });
    const from = (address: string, token: string) => ({ 'x-forwarded-for': address, authorization: `Bearer ${token}` });
    for (let i = 0; i < SIGN_IN_FAILURES.limit; i += 1) {
      expect((await http('GET', '/activation', undefined, from('203.0.113.20', 'wrong-token-wrong-token'))).status).toBe(401);
    }
    const blocked = await http('GET', '/activation', undefined, from('203.0.113.20', ADMIN_TOKEN));
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBe('900');
    // The form shares the budget; another source is not held back.
    expect((await http('POST', '/activation/login', { token: ADMIN_TOKEN }, { 'x-forwarded-for': '203.0.113.20' })).status).toBe(429);
    expect((await http('GET', '/activation', undefined, from('198.51.100.20', ADMIN_TOKEN))).status).toBe(200);
    expect(fixture.lines.filter((line) => line.includes('sign-in failed') && line.includes('203.0.113.20'))).toHaveLength(SIGN_IN_FAILURES.limit);
    for (const line of fixture.lines) expect(line).not.toContain(ADMIN_TOKEN);
  });

  it('says, once, that requests come through a proxy while CALLMATRIX_TRUST_PROXY is off: every client then counts as the proxy', async () => {
    const { http } = await pages();
    const before = fixture.lines.length;
    for (let i = 0; i < 3; i += 1) await http('GET', '/activation/login', undefined, { 'x-forwarded-for': `203.0.113.${i}` });
    const warned = fixture.lines.slice(before).filter((line) => line.includes('CALLMATRIX_TRUST_PROXY is off'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain('set CALLMATRIX_TRUST_PROXY=true');
    // With the setting on, the header is believed, and nothing is said.
    const trusted = await pages({ trustProxy: true });
    const after = fixture.lines.length;
    await trusted.http('GET', '/activation/login', undefined, { 'x-forwarded-for': '203.0.113.50' });
    expect(fixture.lines.slice(after).filter((line) => line.includes('CALLMATRIX_TRUST_PROXY is off'))).toEqual([]);
  });

  it("counts failures per the proxy's own X-Forwarded-For value: a client's values to its left do not escape the limit", async () => {
    const { http } = await pages({ trustProxy: true });
    // The proxy appends the address it saw (203.0.113.9) to whatever the client sent.
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_FAILURES.limit + 2; i += 1) {
      statuses.push((await http('POST', '/activation/login', { token: 'wrong-token-wrong-token' }, { 'x-forwarded-for': `10.0.0.${i}, 203.0.113.9` })).status);
    }
    expect(statuses.slice(0, SIGN_IN_FAILURES.limit)).toEqual(Array(SIGN_IN_FAILURES.limit).fill(401));
    expect(statuses.slice(SIGN_IN_FAILURES.limit)).toEqual([429, 429]);
    expect(fixture.lines.filter((line) => line.includes('too many failures')).at(-1)).toContain('203.0.113.9');
  });
});
