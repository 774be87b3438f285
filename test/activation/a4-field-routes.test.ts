/** A4 in the browser: the activation page's "Create the missing fields" lists them, then creates them on confirmation. */
import axios from 'axios';
import { activateWithCode, type ActivationStore } from '../../activation';
import { createZohoClient } from '../../zoho';
import { startActivationServer, startZohoOrg, storeFixture, type ActivationServer, type ZohoOrg } from './support';

const ADMIN_TOKEN = 'admin-token-for-the-tests-0123456789';

describe('activation page: create the missing fields (A4)', () => {
  let org: ZohoOrg;
  let store: ActivationStore;
  let server: ActivationServer;
  let base: string;
  const page = async (method: 'GET' | 'POST', url: string) =>
    (await axios.request<string>({ method, url: `${base}${url}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, responseType: 'text', validateStatus: () => true })).data;
  /** As a browser sends it: the session's cookie, and the form's fields. */
  const browser = (method: 'GET' | 'POST', url: string, cookie: string, form?: Record<string, string>) =>
    axios.request<string>({
      method,
      url: `${base}${url}`,
      headers: { cookie, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      data: form && new URLSearchParams(form).toString(),
      responseType: 'text',
      maxRedirects: 0,
      validateStatus: () => true,
    });

  beforeAll(async () => {
    org = await startZohoOrg({ customFields: 'none' });
    const fixture = storeFixture();
    store = await fixture.open();
    const { code } = await org.admin.mintGrantCode();
    await activateWithCode(store, { dc: 'us', clientId: org.emulator.clientId, clientSecret: org.emulator.clientSecret, accountsUrl: org.emulator.accountsUrl, code, via: 'grant-code' });
    server = await startActivationServer({ ...fixture, activation: store }, { adminToken: ADMIN_TOKEN });
    base = server.base;
  });
  afterAll(async () => {
    await server.close();
    await org.close();
  });

  it('A4: the status page offers the button; the fields page lists what it will create; confirming creates them in Zoho', async () => {
    expect(await page('GET', '/activation')).toContain('action="/activation/fields"');
    const listed = await page('GET', '/activation/fields');
    expect(listed).toContain('Leads: rs_utm_source (Single Line, 255 characters)');
    expect(listed).toContain('<button type="submit">Create these fields</button>');

    // Signed in in a browser, the confirmation form carries the session's CSRF token, so confirming is not refused.
    const login = await axios.post(`${base}/activation/login`, new URLSearchParams({ token: ADMIN_TOKEN }).toString(), { maxRedirects: 0, validateStatus: () => true });
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const confirmForm = (await browser('GET', '/activation/fields', cookie)).data;
    const csrf = /<form method="post" action="\/activation\/fields"><input type="hidden" name="_csrf" value="([^"]+)">/.exec(confirmForm)?.[1];
    expect(csrf).toBeDefined();
    const confirmed = await browser('POST', '/activation/fields', cookie, { _csrf: csrf! });
    expect(confirmed.status).toBe(200);
    const created = confirmed.data;
    expect(created).toMatch(/Created Leads\.rs_google_client_id \(id \d+\)\./);
    const fields = await createZohoClient({ credentials: store, logger: storeFixture().logger }).getFields('Leads');
    expect(fields.filter((f) => f.custom_field).map((f) => f.api_name)).toEqual(expect.arrayContaining(['rs_utm_source', 'rs_utm_term', 'rs_google_client_id']));

    expect(await page('GET', '/activation/fields')).toContain('No field to create');
  });
});
