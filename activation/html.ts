/** The activation pages' HTML: server-rendered, no scripts, every value escaped. */
import type { Settings } from '../matrix/settings-schema';
import { ACCOUNTS_SERVERS, type DataCentre, type ZohoUser } from '../zoho';
import type { IntegrationHealth, StoredConnection } from './credential-store';
import { ACTIVATION_CSS } from './style';

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · callmatrix</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${ACTIVATION_CSS}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/** The session's CSRF token, which every form of a signed-in page carries (see routes.ts). */
export const csrfField = (csrf: string) => `<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">`;

const signOutForm = (csrf: string) => `<form method="post" action="/activation/logout">${csrfField(csrf)}<button type="submit">Sign out</button></form>`;

/** The submitted values the server refused, by input name, each with the reason shown beside its input. */
export type FieldErrors = ReadonlyMap<string, string>;

const NO_ERRORS: FieldErrors = new Map();

const errorId = (name: string) => `error-${encodeURIComponent(name)}`;

/** The attributes that tie an input to the reason its value was refused, for screen readers too. */
function invalidAttributes(name: string, errors: FieldErrors): string {
  return errors.has(name) ? ` aria-invalid="true" aria-describedby="${escapeHtml(errorId(name))}"` : '';
}

/** The reason shown beside the input `name`, when its value was refused. */
function fieldError(name: string, errors: FieldErrors): string {
  const error = errors.get(name);
  return error === undefined ? '' : `<span class="field-error" id="${escapeHtml(errorId(name))}">${escapeHtml(error)}</span>`;
}

/** The users page's input for an employee's Zoho user. */
export const employeeInput = (code: string) => `employee.${code}`;

const timeFormats = new Map<string, Intl.DateTimeFormat>();

function timeFormat(timeZone: string): Intl.DateTimeFormat {
  let format = timeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
    timeFormats.set(timeZone, format);
  }
  return format;
}

/**
 * A time as the admin reads it, in the CRM account's zone ("30 Nov 2026, 14:05 EET"), or in UTC while that zone is
 * unknown; the ISO value stays in the element's `datetime`.
 */
export function timeHtml(iso: string | undefined, timeZone: string | undefined): string {
  const instant = new Date(iso ?? Number.NaN);
  if (Number.isNaN(instant.getTime())) return escapeHtml(iso ?? 'unknown');
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(timeFormat(timeZone ?? 'UTC').format(instant))}</time>`;
}

/** Says which zone the page's times are in, and why UTC when the account's is not known. */
function timeZoneNote(timeZone: string | undefined): string {
  return timeZone
    ? `<p class="note">Times are in the CRM account's time zone, ${escapeHtml(timeZone)}.</p>`
    : `<p class="note">Times are in UTC: the CRM account's time zone is not known yet. It is read from Zoho CRM once the integration is connected and Zoho answers.</p>`;
}

export function messagePage(title: string, message: string, status: 'problem' | 'ok' = 'problem'): string {
  return page(title, `<p class="${status}">${escapeHtml(message)}</p><p><a href="/activation">Back to activation</a></p>`);
}

export function loginPage(error?: string): string {
  const errors: FieldErrors = error ? new Map([['token', error]]) : NO_ERRORS;
  return page(
    'Zoho CRM activation',
    `<form method="post" action="/activation/login">
<label>Admin token (CALLMATRIX_ADMIN_TOKEN) <input type="password" name="token" autocomplete="current-password" required${invalidAttributes('token', errors)}>${fieldError('token', errors)}</label>
<button type="submit">Sign in</button></form>`,
  );
}

function statusLine(health: IntegrationHealth, connection: StoredConnection | undefined, missingScopes: string[], timeZone: string | undefined): string {
  if (health.status === 'not-connected') return '<p class="problem">Zoho CRM is not connected.</p>';
  const where = `data centre <b>${escapeHtml(connection?.dc)}</b>, client ${escapeHtml(connection?.clientId)}, connected ${timeHtml(connection?.connectedAt, timeZone)} (${escapeHtml(connection?.via)})`;
  const broken = health.status === 'broken' ? `<p class="problem">Broken since ${timeHtml(health.since, timeZone)}: ${escapeHtml(health.reason)}. Calls are kept, suspended, until you re-activate.</p>` : '';
  const scopes = missingScopes.length ? `<p class="problem">The authorisation lacks the scopes ${escapeHtml(missingScopes.join(', '))}: re-activate.</p>` : '';
  return `<p class="${health.status === 'connected' ? 'ok' : 'problem'}">Zoho CRM: ${escapeHtml(health.status)} — ${where}.</p>${broken}${scopes}${timeZoneNote(timeZone)}
<p><a href="/activation/users">Users, senior manager and employees</a></p>
<form method="get" action="/activation/fields"><button type="submit">Create the missing fields</button></form>`;
}

/** What the admin entered in the activation form, shown again when the server refused it (never the secret). */
export interface ActivationFormEntry {
  dc?: string;
  clientId?: string;
  resend: boolean;
}

export function activationPage(view: {
  health: IntegrationHealth;
  connection?: StoredConnection;
  missingScopes: string[];
  defaultDc: DataCentre;
  redirectUri: string;
  /** The CRM account's IANA zone, when known (account-time-zone.ts). */
  timeZone?: string;
  entered?: ActivationFormEntry;
  errors?: FieldErrors;
  csrf: string;
}): string {
  const errors = view.errors ?? NO_ERRORS;
  const dc = view.entered?.dc ?? view.connection?.dc ?? view.defaultDc;
  const options = (Object.keys(ACCOUNTS_SERVERS) as DataCentre[])
    .map((d) => `<option value="${d}"${d === dc ? ' selected' : ''}>${d} — ${escapeHtml(ACCOUNTS_SERVERS[d])}</option>`)
    .join('');
  const clientId = view.entered?.clientId ?? view.connection?.clientId;
  const resend = view.entered?.resend ?? true;
  const keepSecret = view.connection ? ' (leave empty to keep the stored one)' : '';
  return page(
    'Zoho CRM activation',
    `${statusLine(view.health, view.connection, view.missingScopes, view.timeZone)}
<h2>${view.connection ? 'Re-activate' : 'Activate'}</h2>
<p>In the Zoho API console, create a <i>Server-based Application</i> client whose redirect URI is <code>${escapeHtml(view.redirectUri)}</code>.</p>
<form method="post" action="/activation/start">${csrfField(view.csrf)}
<label>Data centre <select name="dc"${invalidAttributes('dc', errors)}>${options}</select>${fieldError('dc', errors)}</label>
<label>Client id <input type="text" name="clientId" value="${escapeHtml(clientId)}" required${invalidAttributes('clientId', errors)}>${fieldError('clientId', errors)}</label>
<label>Client secret${keepSecret} <input type="password" name="clientSecret" autocomplete="off"${invalidAttributes('clientSecret', errors)}>${fieldError('clientSecret', errors)}</label>
<label><input type="checkbox" name="resend"${resend ? ' checked' : ''}> Send data to the CRM after re-activation (calls of the resend window that waited while the integration was broken)</label>
<button type="submit">Authorize in Zoho</button>
</form>
${signOutForm(view.csrf)}`,
  );
}

export function usersPage(view: {
  users: ZohoUser[];
  settings: Settings;
  fileSettings: Settings;
  notice?: string;
  /** The values the admin submitted, by input name, shown again when the server refused some of them. */
  entered?: ReadonlyMap<string, string>;
  errors?: FieldErrors;
  csrf: string;
}): string {
  const { users, settings, fileSettings } = view;
  const errors = view.errors ?? NO_ERRORS;
  const active = users.filter((u) => u.status === 'active');
  const option = (value: string, label: string, selected: boolean) => `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  // A choice that is not an active user (refused, or a user deactivated since) stays visible as it is.
  const otherChoice = (id: string) => {
    const user = users.find((u) => u.id === id);
    return option(id, user ? `${user.full_name} — ${user.email} (${user.status})` : `${id} (not a user of this Zoho CRM org)`, true);
  };
  const select = (name: string, label: string, current: string | undefined, blank: string) => {
    const selected = view.entered?.get(name) ?? current ?? '';
    const other = selected && !active.some((u) => u.id === selected) ? otherChoice(selected) : '';
    return `<select name="${escapeHtml(name)}" aria-label="${escapeHtml(label)}"${invalidAttributes(name, errors)}>${option('', blank, !selected)}${other}${active
      .map((u) => option(u.id, `${u.full_name} — ${u.email}`, u.id === selected))
      .join('')}</select>${fieldError(name, errors)}`;
  };
  const userRows = users
    .map((u) => `<tr><td>${escapeHtml(u.full_name)}</td><td>${escapeHtml(u.email)}</td><td>${escapeHtml(u.status)}</td><td><code>${escapeHtml(u.id)}</code></td></tr>`)
    .join('');
  const mapped = new Map(settings.employees.map((e) => [e.code, e.zohoUserId]));
  const employeeRows = fileSettings.employees
    .map(
      (e) =>
        `<tr><td>${escapeHtml(e.code)}</td><td>${escapeHtml(e.name)}</td><td>${select(employeeInput(e.code), `Zoho user of ${e.name}`, mapped.get(e.code), e.zohoUserId ? '— as in the settings file —' : '— not mapped —')}</td></tr>`,
    )
    .join('');
  return page(
    'Zoho CRM users',
    `${view.notice ? `<p class="ok">${escapeHtml(view.notice)}</p>` : ''}
<table><tr><th>Name</th><th>Email</th><th>Status</th><th>Id</th></tr>${userRows}</table>
<h2>Senior manager</h2>
<p>Owns missed-call leads, the tasks for unmapped lines and the records created before a call.</p>
<form method="post" action="/activation/senior">${csrfField(view.csrf)}${select('userId', 'Senior manager', settings.seniorManager?.zohoUserId, '— choose —')} <button type="submit">Save</button></form>
<h2>Employees</h2>
<p>Employees come from the settings file; choose the Zoho user each one is.</p>
<form method="post" action="/activation/employees">${csrfField(view.csrf)}<table><tr><th>Code</th><th>Name</th><th>Zoho user</th></tr>${employeeRows}</table>
<button type="submit">Save mappings</button></form>
<p><a href="/activation">Back to activation</a></p>
${signOutForm(view.csrf)}`,
  );
}
