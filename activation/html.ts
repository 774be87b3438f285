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
const csrfField = (csrf: string) => `<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">`;

const signOutForm = (csrf: string) => `<form method="post" action="/activation/logout">${csrfField(csrf)}<button type="submit">Sign out</button></form>`;

export function messagePage(title: string, message: string, status: 'problem' | 'ok' = 'problem'): string {
  return page(title, `<p class="${status}">${escapeHtml(message)}</p><p><a href="/activation">Back to activation</a></p>`);
}

export function loginPage(error?: string): string {
  return page(
    'Zoho CRM activation',
    `${error ? `<p class="problem">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/activation/login">
<label>Admin token (CALLMATRIX_ADMIN_TOKEN) <input type="password" name="token" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>`,
  );
}

function statusLine(health: IntegrationHealth, connection: StoredConnection | undefined, missingScopes: string[]): string {
  if (health.status === 'not-connected') return '<p class="problem">Zoho CRM is not connected.</p>';
  const where = `data centre <b>${escapeHtml(connection?.dc)}</b>, client ${escapeHtml(connection?.clientId)}, connected ${escapeHtml(connection?.connectedAt)} (${escapeHtml(connection?.via)})`;
  const broken = health.status === 'broken' ? `<p class="problem">Broken since ${escapeHtml(health.since)}: ${escapeHtml(health.reason)}. Calls are kept, suspended, until you re-activate.</p>` : '';
  const scopes = missingScopes.length ? `<p class="problem">The authorisation lacks the scopes ${escapeHtml(missingScopes.join(', '))}: re-activate.</p>` : '';
  return `<p class="${health.status === 'connected' ? 'ok' : 'problem'}">Zoho CRM: ${escapeHtml(health.status)} — ${where}.</p>${broken}${scopes}
<p><a href="/activation/users">Users, senior manager and employees</a></p>
<form method="get" action="/activation/fields"><button type="submit">Create the missing fields</button></form>`;
}

export function activationPage(view: {
  health: IntegrationHealth;
  connection?: StoredConnection;
  missingScopes: string[];
  defaultDc: DataCentre;
  redirectUri: string;
  errors?: string[];
  csrf: string;
}): string {
  const dc = view.connection?.dc ?? view.defaultDc;
  const options = (Object.keys(ACCOUNTS_SERVERS) as DataCentre[])
    .map((d) => `<option value="${d}"${d === dc ? ' selected' : ''}>${d} — ${escapeHtml(ACCOUNTS_SERVERS[d])}</option>`)
    .join('');
  const errors = (view.errors ?? []).map((e) => `<p class="problem">${escapeHtml(e)}</p>`).join('');
  const keepSecret = view.connection ? ' (leave empty to keep the stored one)' : '';
  return page(
    'Zoho CRM activation',
    `${statusLine(view.health, view.connection, view.missingScopes)}
<h2>${view.connection ? 'Re-activate' : 'Activate'}</h2>
<p>In the Zoho API console, create a <i>Server-based Application</i> client whose redirect URI is <code>${escapeHtml(view.redirectUri)}</code>.</p>
${errors}
<form method="post" action="/activation/start">${csrfField(view.csrf)}
<label>Data centre <select name="dc">${options}</select></label>
<label>Client id <input type="text" name="clientId" value="${escapeHtml(view.connection?.clientId)}" required></label>
<label>Client secret${keepSecret} <input type="password" name="clientSecret" autocomplete="off"></label>
<label><input type="checkbox" name="resend" checked> Send data to the CRM after re-activation (calls of the resend window that waited while the integration was broken)</label>
<button type="submit">Authorize in Zoho</button>
</form>
${signOutForm(view.csrf)}`,
  );
}

export function usersPage(view: { users: ZohoUser[]; settings: Settings; fileSettings: Settings; notice?: string; csrf: string }): string {
  const { users, settings, fileSettings } = view;
  const active = users.filter((u) => u.status === 'active');
  const select = (name: string, selected: string | undefined, blank: string) =>
    `<select name="${escapeHtml(name)}"><option value="">${escapeHtml(blank)}</option>${active
      .map((u) => `<option value="${escapeHtml(u.id)}"${u.id === selected ? ' selected' : ''}>${escapeHtml(u.full_name)} — ${escapeHtml(u.email)}</option>`)
      .join('')}</select>`;
  const userRows = users
    .map((u) => `<tr><td>${escapeHtml(u.full_name)}</td><td>${escapeHtml(u.email)}</td><td>${escapeHtml(u.status)}</td><td><code>${escapeHtml(u.id)}</code></td></tr>`)
    .join('');
  const mapped = new Map(settings.employees.map((e) => [e.code, e.zohoUserId]));
  const employeeRows = fileSettings.employees
    .map((e) => `<tr><td>${escapeHtml(e.code)}</td><td>${escapeHtml(e.name)}</td><td>${select(`employee.${e.code}`, mapped.get(e.code), e.zohoUserId ? '— as in the settings file —' : '— not mapped —')}</td></tr>`)
    .join('');
  return page(
    'Zoho CRM users',
    `${view.notice ? `<p class="ok">${escapeHtml(view.notice)}</p>` : ''}
<table><tr><th>Name</th><th>Email</th><th>Status</th><th>Id</th></tr>${userRows}</table>
<h2>Senior manager</h2>
<p>Owns missed-call leads, the tasks for unmapped lines and the records created before a call.</p>
<form method="post" action="/activation/senior">${csrfField(view.csrf)}${select('userId', settings.seniorManager?.zohoUserId, '— choose —')} <button type="submit">Save</button></form>
<h2>Employees</h2>
<p>Employees come from the settings file; choose the Zoho user each one is.</p>
<form method="post" action="/activation/employees">${csrfField(view.csrf)}<table><tr><th>Code</th><th>Name</th><th>Zoho user</th></tr>${employeeRows}</table>
<button type="submit">Save mappings</button></form>
<p><a href="/activation">Back to activation</a></p>
${signOutForm(view.csrf)}`,
  );
}
