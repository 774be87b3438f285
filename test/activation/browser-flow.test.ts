/**
 * A1, A2 through real HTTP: the activation pages of the shim, Zoho's consent redirect played by the emulator's
 * accounts server, and the callback — the happy path, a wrong state, a reused state or code, another DC.
 */
import axios, { type AxiosResponse } from 'axios';
import { effectiveSettings, integrationHealth, REQUESTED_SCOPES, type ActivationStore } from '../../activation';
import { control, reasonBeside, selectedOption } from './page-html';
import { fileSettings, startActivationServer, startZohoOrg, storeFixture, type ActivationServer, type StoreFixture, type ZohoOrg } from './support';

const ADMIN_TOKEN = 'admin-token-for-the-tests-0123456789';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('activation pages (A1, A2)', () => {
  let org: ZohoOrg;
  let fixture: StoreFixture;
  let store: ActivationStore;
  let server: ActivationServer;
  let base: string;
  let cookie: string;
  /** The session's CSRF token, as the pages' forms carry it. */
  let csrf: string;

  const http = (method: 'GET' | 'POST', url: string, data?: Record<string, string>, headers: Record<string, string> = {}): Promise<AxiosResponse<string>> =>
    axios.request({
      method,
      url: url.startsWith('http') ? url : `${base}${url}`,
      data: data && form(data),
      headers: { ...(data ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...headers },
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'text',
    });
  const admin = (method: 'GET' | 'POST', url: string, data?: Record<string, string>) => http(method, url, data && { _csrf: csrf, ...data }, { cookie });

  /** Zoho's redirect back to the callback, in the admin's browser: its session cookie comes along. */
  const back = (callback: URL, browserCookie = cookie) => http('GET', callback.toString(), undefined, browserCookie ? { cookie: browserCookie } : {});

  /** The admin fills in the form and Zoho (the emulator) consents; returns the callback URL Zoho redirected to. */
  async function consent(fields: Record<string, string> = {}): Promise<URL> {
    const start = await admin('POST', '/activation/start', { dc: 'us', clientId: org.emulator.clientId, clientSecret: org.emulator.clientSecret, resend: 'on', ...fields });
    expect(start.status).toBe(303);
    const zoho = await http('GET', start.headers.location as string);
    expect(zoho.status).toBe(302);
    return new URL(zoho.headers.location as string);
  }

  beforeAll(async () => {
    org = await startZohoOrg();
    fixture = storeFixture();
    store = await fixture.open();
    server = await startActivationServer({ ...fixture, activation: store }, { adminToken: ADMIN_TOKEN, accountsUrl: org.emulator.accountsUrl, logger: fixture.logger });
    base = server.base;
    const login = await http('POST', '/activation/login', { token: ADMIN_TOKEN });
    expect(login.status).toBe(303);
    cookie = String(login.headers['set-cookie']).split(';')[0];
    csrf = /name="_csrf" value="([^"]+)"/.exec((await admin('GET', '/activation')).data)![1];
  });
  afterAll(async () => {
    await server.close();
    await org.close();
  });

  it('A1: the pages need the admin token; a wrong token or a forged cookie does not open them', async () => {
    expect((await http('GET', '/activation')).status).toBe(401);
    expect((await http('GET', '/activation')).data).toContain('name="token"');
    const wrong = await http('POST', '/activation/login', { token: 'wrong-token-wrong-token' });
    expect(wrong.status).toBe(401);
    expect(reasonBeside(wrong.data, 'token')).toBe('wrong admin token');
    expect((await http('GET', '/activation/users', undefined, { cookie: 'callmatrix_activation=forged' })).status).toBe(401);
    expect((await http('GET', '/activation', undefined, { authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(200);
    const login = await http('POST', '/activation/login', { token: ADMIN_TOKEN });
    expect(login.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Lax/);
    expect(login.headers['set-cookie']?.[0]).not.toContain(ADMIN_TOKEN);
  });

  it('A1: sends the admin to the accounts server with the scopes, offline access, consent and a state', async () => {
    const page = await admin('GET', '/activation');
    expect(page.data).toContain('not connected');
    expect(page.data).not.toContain('<time');
    expect(page.data).toContain(`${base}/activation/callback`);
    const start = await admin('POST', '/activation/start', { dc: 'us', clientId: 'id-1', clientSecret: 'secret-1' });
    const url = new URL(start.headers.location as string);
    expect(`${url.origin}${url.pathname}`).toBe(`${org.emulator.accountsUrl}/oauth/v2/auth`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      scope: REQUESTED_SCOPES,
      client_id: 'id-1',
      response_type: 'code',
      access_type: 'offline',
      prompt: 'consent',
      redirect_uri: `${base}/activation/callback`,
      state: expect.stringMatching(/^[\w-]{43}$/),
    });
  });

  it('A1: names every refused field of the form beside it, keeping what was entered', async () => {
    const response = await admin('POST', '/activation/start', { dc: 'xx', clientId: '', clientSecret: '' });
    expect(response.status).toBe(400);
    expect(reasonBeside(response.data, 'dc')).toMatch(/^data centre: choose one of us, eu/);
    expect(reasonBeside(response.data, 'clientId')).toBe('client id: required (Zoho API console)');
    expect(reasonBeside(response.data, 'clientSecret')).toBe('client secret: required (Zoho API console)');
    const secretOnly = await admin('POST', '/activation/start', { dc: 'eu', clientId: 'typed-client-id', clientSecret: '' });
    expect(secretOnly.status).toBe(400);
    expect(reasonBeside(secretOnly.data, 'clientSecret')).toBe('client secret: required (Zoho API console)');
    expect(reasonBeside(secretOnly.data, 'clientId')).toBeUndefined();
    expect(control(secretOnly.data, 'clientId')).toContain('value="typed-client-id"');
    expect(selectedOption(secretOnly.data, 'dc')).toBe('eu');
    expect(control(secretOnly.data, 'resend')).not.toContain('checked');
  });

  it('A1: a wrong state is refused and stores nothing', async () => {
    const callback = await consent();
    callback.searchParams.set('state', 'forged-state');
    const response = await back(callback);
    expect(response.status).toBe(400);
    expect(response.data).toContain('unknown, expired or already used (state)');
    expect(store.connection()).toBeUndefined();
  });

  it("A1: a callback in another browser is refused, the state spent: a leaked state cannot connect someone else's Zoho org", async () => {
    const otherSession = String((await http('POST', '/activation/login', { token: ADMIN_TOKEN })).headers['set-cookie']).split(';')[0];
    for (const browser of ['', otherSession]) {
      const callback = await consent();
      const response = await back(callback, browser);
      expect(response.status).toBe(400);
      expect(response.data).toContain('started in another browser');
      expect((await back(callback)).data).toContain('already used (state)');
      expect(store.connection()).toBeUndefined();
    }
  });

  it('A1: a callback naming another accounts server (wrong data centre) is refused', async () => {
    const callback = await consent();
    callback.searchParams.set('accounts-server', org.emulator.accountsUrlFor('eu'));
    const response = await back(callback);
    expect(response.status).toBe(400);
    expect(response.data).toContain(`names accounts server ${org.emulator.accountsUrlFor('eu')}, which is not the accounts server of data centre us`);
    // The state is spent even so: the same callback cannot be tried again.
    callback.searchParams.set('accounts-server', org.emulator.accountsUrl);
    expect((await back(callback)).data).toContain('already used (state)');
    expect(store.connection()).toBeUndefined();
  });

  it('A1, A2: consent → callback → stored connection, re-activation with the choice, users shown; a replayed callback or code fails', async () => {
    expect(await server.latestReactivation()).toBeUndefined();
    const callback = await consent();
    expect(Object.fromEntries(callback.searchParams)).toMatchObject({ location: 'us', 'accounts-server': org.emulator.accountsUrl, state: expect.any(String), code: expect.any(String) });
    const done = await back(callback);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/activation/users?activated=1');
    const reactivation = await server.latestReactivation();
    expect(reactivation?.resend).toBe(true);
    expect(integrationHealth(store).status).toBe('connected');
    expect(store.connection()).toMatchObject({ dc: 'us', via: 'browser', clientId: org.emulator.clientId });

    const users = await admin('GET', done.headers.location as string);
    expect(users.status).toBe(200);
    expect(users.data).toContain('Zoho CRM is connected');
    for (const user of Object.values(org.users)) expect(users.data).toContain(user.id);
    const status = await admin('GET', '/activation');
    expect(status.data).toContain('connected');
    expect(status.data).not.toContain('lacks the scopes');
    // The connection time in the emulated org's zone (Europe/Kyiv), read from Zoho's org once and kept.
    const connectedAt = store.connection()!.connectedAt;
    const kyiv = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Kyiv', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    expect(status.data).toMatch(new RegExp(`connected <time datetime="${connectedAt}">${kyiv.format(new Date(connectedAt))} EES?T</time>`));
    expect(status.data).toContain("Times are in the CRM account's time zone, Europe/Kyiv.");
    expect(store.connection()!.timeZone).toBe('Europe/Kyiv');

    // Replaying Zoho's redirect: the state is used.
    expect((await back(callback)).data).toContain('already used (state)');
    // A fresh state with the already used code: Zoho refuses the code, and the page says what to check.
    const fresh = await consent();
    fresh.searchParams.set('code', callback.searchParams.get('code')!);
    const reused = await back(fresh);
    expect(reused.status).toBe(400);
    expect(reused.data).toMatch(/refused the authorisation code.*invalid_code/);
    expect(await server.latestReactivation()).toEqual(reactivation);

    // Nothing secret in any page or log line.
    const secrets = [store.connection()!.refreshToken, org.emulator.clientSecret, ADMIN_TOKEN];
    for (const text of [users.data, status.data, reused.data, fixture.lines.join('\n')]) for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('A1: re-activation without "send data to the CRM" passes the choice on; an empty secret keeps the stored one', async () => {
    const callback = await consent({ resend: '', clientSecret: '' });
    const before = store.connection()!;
    expect((await back(callback)).status).toBe(303);
    expect((await server.latestReactivation())?.resend).toBe(false);
    const after = store.connection()!;
    expect(after.clientSecret).toBe(org.emulator.clientSecret);
    expect(after.refreshToken).not.toBe(before.refreshToken);
  });

  it('A2: the senior manager and the employee mappings chosen on the page apply through effectiveSettings', async () => {
    const senior = await admin('POST', '/activation/senior', { userId: org.users.senior.id });
    expect(senior.status).toBe(200);
    expect(senior.data).toContain('Senior manager: Olena Koval');
    const mapped = await admin('POST', '/activation/employees', { 'employee.101': org.users.ivan.id, 'employee.102': org.users.maria.id });
    expect(mapped.data).toContain('Employee mappings saved');
    const settings = effectiveSettings(fileSettings(), store);
    expect(settings.seniorManager?.zohoUserId).toBe(org.users.senior.id);
    expect(settings.employees.map((e) => [e.code, e.zohoUserId])).toEqual([
      ['101', org.users.ivan.id],
      ['102', org.users.maria.id],
    ]);
    const before = effectiveSettings(fileSettings(), store);

    // One refused mapping: its reason beside it, both choices kept on the page, and neither saved.
    const inactive = await admin('POST', '/activation/employees', { 'employee.101': org.users.inactive.id, 'employee.102': org.users.senior.id });
    expect(inactive.status).toBe(400);
    expect(reasonBeside(inactive.data, 'employee.101')).toBe(`employee 101: Taras Melnyk (${org.users.inactive.id}) is inactive, not active`);
    expect(reasonBeside(inactive.data, 'employee.102')).toBeUndefined();
    expect(selectedOption(inactive.data, 'employee.101')).toBe(org.users.inactive.id);
    expect(selectedOption(inactive.data, 'employee.102')).toBe(org.users.senior.id);

    const unknown = await admin('POST', '/activation/senior', { userId: '123' });
    expect(unknown.status).toBe(400);
    expect(reasonBeside(unknown.data, 'userId')).toBe('senior manager: 123 is not a user of this Zoho CRM org (see `callmatrix users`)');
    expect(selectedOption(unknown.data, 'userId')).toBe('123');
    const none = await admin('POST', '/activation/senior', { userId: '' });
    expect(none.status).toBe(400);
    expect(reasonBeside(none.data, 'userId')).toBe('senior manager: choose a user');
    expect(effectiveSettings(fileSettings(), store)).toEqual(before);
  });

  it("the CRM account's time zone: UTC, labelled, while Zoho does not answer; read and kept once it does", async () => {
    await store.connect({ ...store.connection()!, timeZone: undefined });
    await org.admin.addFault({ kind: 'error', status: 500, count: 1, match: { path: '/org' } });
    const unanswered = await admin('GET', '/activation');
    expect(unanswered.status).toBe(200);
    expect(unanswered.data).toMatch(/connected <time datetime="[^"]+">[^<]+ UTC<\/time>/);
    expect(unanswered.data).toContain("Times are in UTC: the CRM account's time zone is not known yet.");
    expect(store.connection()!.timeZone).toBeUndefined();
    const answered = await admin('GET', '/activation');
    expect(answered.data).toContain("Times are in the CRM account's time zone, Europe/Kyiv.");
    expect(store.connection()!.timeZone).toBe('Europe/Kyiv');
  });
});
