/**
 * A1, A2 (issue 12, item 9): the activation pages as rendered, without a server. A refused input carries its reason
 * beside it (aria-invalid, aria-describedby pointing at the reason) and keeps what the admin entered; times are
 * shown in the CRM account's time zone, the ISO value kept in `<time datetime>`, and in labelled UTC while the zone
 * is not known.
 */
import { activationPage, loginPage, timeHtml, usersPage } from '../../activation/html';
import type { IntegrationHealth, StoredConnection } from '../../activation';
import type { ZohoUser } from '../../zoho';
import { control, reasonBeside, selectedOption } from './page-html';
import { fileSettings } from './support';

const user = (id: string, full_name: string, status: string): ZohoUser => ({ id, full_name, email: `${id}@example.com`, status }) as ZohoUser;
const USERS = [user('1', 'Olena Koval', 'active'), user('2', 'Ivan Petrenko', 'active'), user('3', 'Taras Melnyk', 'inactive')];

const connection: StoredConnection = {
  dc: 'eu',
  clientId: 'client-1',
  clientSecret: 'secret-1',
  refreshToken: 'refresh-1',
  connectedAt: '2026-11-30T12:05:00.000Z',
  via: 'browser',
};
const connected: IntegrationHealth = { status: 'connected', since: connection.connectedAt };
const statusView = { connection, health: connected, missingScopes: [], defaultDc: 'us' as const, redirectUri: 'http://shim/activation/callback', csrf: 'csrf-1' };

describe('refused inputs: the reason beside the input', () => {
  it('sign-in: a wrong token is named beside the token field; a first visit shows no error', () => {
    expect(reasonBeside(loginPage('wrong admin token'), 'token')).toBe('wrong admin token');
    const firstVisit = loginPage().split('<body>')[1];
    expect(firstVisit).not.toContain('aria-invalid');
    expect(firstVisit).not.toContain('field-error');
  });

  it('A1 activation form: each refused field has its own reason; the entered client id, data centre and checkbox stay, the secret is not echoed', () => {
    const html = activationPage({
      ...statusView,
      entered: { dc: 'us', clientId: 'typed-id', resend: false },
      errors: new Map([
        ['dc', 'data centre: choose one of us, eu'],
        ['clientSecret', 'client secret: required (Zoho API console)'],
      ]),
    });
    expect(reasonBeside(html, 'dc')).toBe('data centre: choose one of us, eu');
    expect(reasonBeside(html, 'clientSecret')).toBe('client secret: required (Zoho API console)');
    expect(reasonBeside(html, 'clientId')).toBeUndefined();
    expect(control(html, 'clientId')).toContain('value="typed-id"');
    expect(selectedOption(html, 'dc')).toBe('us');
    expect(control(html, 'resend')).not.toContain('checked');
    expect(control(html, 'clientSecret')).not.toContain('value=');
    // Not one banner at the top: no problem paragraph besides the status.
    expect(html.match(/class="problem"/g)).toBeNull();
  });

  it('A2 users page: the senior manager and each employee keep their entered choice and their own reason', () => {
    const html = usersPage({
      users: USERS,
      fileSettings: fileSettings(),
      settings: fileSettings(),
      entered: new Map([
        ['userId', '404'],
        ['employee.101', '3'],
        ['employee.102', '2'],
      ]),
      errors: new Map([
        ['userId', 'senior manager: 404 is not a user of this Zoho CRM org'],
        ['employee.101', 'employee 101: Taras Melnyk (3) is inactive, not active'],
      ]),
      csrf: 'csrf-1',
    });
    expect(reasonBeside(html, 'userId')).toBe('senior manager: 404 is not a user of this Zoho CRM org');
    expect(reasonBeside(html, 'employee.101')).toBe('employee 101: Taras Melnyk (3) is inactive, not active');
    expect(reasonBeside(html, 'employee.102')).toBeUndefined();
    // What was submitted stays chosen, even when it is no active user (listed as what it is).
    expect(selectedOption(html, 'userId')).toBe('404');
    expect(html).toContain('<option value="404" selected>404 (not a user of this Zoho CRM org)</option>');
    expect(selectedOption(html, 'employee.101')).toBe('3');
    expect(html).toContain('<option value="3" selected>Taras Melnyk — 3@example.com (inactive)</option>');
    expect(selectedOption(html, 'employee.102')).toBe('2');
  });

  it('A2 users page: an empty choice refused stays empty, beside its reason', () => {
    const html = usersPage({
      users: USERS,
      fileSettings: fileSettings(),
      settings: fileSettings(),
      entered: new Map([['userId', '']]),
      errors: new Map([['userId', 'senior manager: choose a user']]),
      csrf: 'csrf-1',
    });
    expect(reasonBeside(html, 'userId')).toBe('senior manager: choose a user');
    expect(selectedOption(html, 'userId')).toBe('');
  });
});

describe("times in the CRM account's time zone", () => {
  it('reads as a date and time with the zone’s name, DST included; the ISO value stays in datetime', () => {
    expect(timeHtml('2026-11-30T12:05:00.000Z', 'Europe/Kyiv')).toBe('<time datetime="2026-11-30T12:05:00.000Z">30 Nov 2026, 14:05 EET</time>');
    expect(timeHtml('2026-07-30T12:05:00.000Z', 'Europe/Kyiv')).toBe('<time datetime="2026-07-30T12:05:00.000Z">30 Jul 2026, 15:05 EEST</time>');
    expect(timeHtml('2026-11-30T12:05:00.000Z', 'America/New_York')).toBe('<time datetime="2026-11-30T12:05:00.000Z">30 Nov 2026, 07:05 GMT-5</time>');
  });

  it('while the zone is unknown: UTC, labelled', () => {
    expect(timeHtml('2026-11-30T12:05:00.000Z', undefined)).toBe('<time datetime="2026-11-30T12:05:00.000Z">30 Nov 2026, 12:05 UTC</time>');
  });

  it('the status page shows the connection and breakage times in the zone and names it', () => {
    const broken: IntegrationHealth = { status: 'broken', since: '2026-12-01T08:00:00.000Z', reason: 'invalid_code' };
    const html = activationPage({ ...statusView, health: broken, timeZone: 'Europe/Kyiv' });
    expect(html).toContain('connected <time datetime="2026-11-30T12:05:00.000Z">30 Nov 2026, 14:05 EET</time>');
    expect(html).toContain('Broken since <time datetime="2026-12-01T08:00:00.000Z">1 Dec 2026, 10:00 EET</time>');
    expect(html).toContain("Times are in the CRM account's time zone, Europe/Kyiv.");
    expect(html).not.toMatch(/>\s*2026-1\d-\d\dT/);
  });

  it('the status page says so when the zone is not known yet', () => {
    const html = activationPage(statusView);
    expect(html).toContain('connected <time datetime="2026-11-30T12:05:00.000Z">30 Nov 2026, 12:05 UTC</time>');
    expect(html).toContain("Times are in UTC: the CRM account's time zone is not known yet.");
  });
});
