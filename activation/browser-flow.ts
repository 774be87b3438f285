/**
 * A1 in the browser: the OAuth authorisation-code flow of a Zoho "server-based" client. The start sends the
 * admin to the accounts server with a random single-use `state`; Zoho redirects back to the callback with the
 * code, the org's data centre (`location`) and the accounts server that issued the code (`accounts-server`).
 * The pending authorisation (client secret included) waits in the encrypted store, so any shim replica can
 * finish it and nothing secret travels through the browser; it is bound to the browser session that started it.
 */
import crypto from 'node:crypto';
import { ACCOUNTS_SERVERS, type DataCentre } from '../zoho';
import { activateWithCode, ActivationError, type Activated } from './activate';
import { startedIn, type ActivationStore } from './credential-store';
import { REQUESTED_SCOPES } from './scopes';

/** Long enough to log in and consent, short enough that a leaked state is soon worthless. */
export const STATE_TTL_MS = 10 * 60_000;

export interface AuthorizationStart {
  dc: DataCentre;
  clientId: string;
  clientSecret: string;
  resend: boolean;
  redirectUri: string;
  /** ZOHO_ACCOUNTS_URL: the only accounts server trusted when set (emulator, sandbox). */
  accountsUrlOverride?: string;
  /** The signed-in browser session starting it: only that browser can finish it. */
  sessionId?: string;
}

/** Remembers the authorisation under a fresh state and returns the URL of Zoho's consent page. */
export async function beginAuthorization(store: ActivationStore, start: AuthorizationStart): Promise<string> {
  const state = crypto.randomBytes(32).toString('base64url');
  const { dc, clientId, clientSecret, resend, redirectUri } = start;
  await store.addPendingAuthorization(state, { dc, clientId, clientSecret, resend, redirectUri, expiresAt: Date.now() + STATE_TTL_MS }, start.sessionId);
  const url = new URL(`${start.accountsUrlOverride ?? ACCOUNTS_SERVERS[dc]}/oauth/v2/auth`);
  url.search = new URLSearchParams({
    scope: REQUESTED_SCOPES,
    client_id: clientId,
    response_type: 'code',
    // offline: Zoho issues a refresh token; consent: a fresh one even when the client was authorised before.
    access_type: 'offline',
    prompt: 'consent',
    redirect_uri: redirectUri,
    state,
  }).toString();
  return url.toString();
}

const isDataCentre = (value: string): value is DataCentre => Object.hasOwn(ACCOUNTS_SERVERS, value);
const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

/**
 * The accounts server that issued the code: Zoho names it, but the name is only believed when it is Zoho's
 * server for the named data centre (or the configured override), or a forged callback could send the client
 * secret to any server.
 */
function trustedAccountsServer(location: string | undefined, named: string | undefined, override: string | undefined): { dc: DataCentre; server?: string } {
  if (!location || !isDataCentre(location)) throw new ActivationError(`Zoho's callback names no known data centre (location: ${location ?? 'missing'})`);
  const expected = override ?? ACCOUNTS_SERVERS[location];
  if (named !== undefined && withoutTrailingSlash(named) !== withoutTrailingSlash(expected)) {
    throw new ActivationError(`Zoho's callback names accounts server ${named}, which is not the accounts server of data centre ${location} (${expected}); the authorisation was not used`);
  }
  return { dc: location, server: override };
}

export interface CallbackQuery {
  code?: string;
  state?: string;
  location?: string;
  'accounts-server'?: string;
  error?: string;
}

/**
 * `sessionId`: the session cookie of the browser Zoho sent back. A state that leaked (a screen share, a browser
 * extension) is worthless in another browser: there, anyone's own Zoho authorisation of the client would connect
 * the deployment to their org and send it the calls.
 */
export async function finishAuthorization(
  store: ActivationStore,
  query: CallbackQuery,
  accountsUrlOverride: string | undefined,
  sessionId: string | undefined,
): Promise<Activated & { resend: boolean }> {
  // The state is consumed first: whatever else is wrong with this callback, it cannot be replayed.
  const pending = query.state ? await store.takePendingAuthorization(query.state) : undefined;
  if (!pending) throw new ActivationError('this authorisation link is unknown, expired or already used (state); start the activation again');
  if (!startedIn(pending, sessionId)) {
    throw new ActivationError('this authorisation was started in another browser, or by a session that has ended (state); sign in and start the activation again in this browser');
  }
  if (query.error) throw new ActivationError(`Zoho did not authorise callmatrix (${query.error}); start the activation again`);
  if (!query.code) throw new ActivationError("Zoho's callback carries no authorisation code; start the activation again");
  const { dc, server } = trustedAccountsServer(query.location, query['accounts-server'], accountsUrlOverride);
  const activated = await activateWithCode(store, {
    dc,
    clientId: pending.clientId,
    clientSecret: pending.clientSecret,
    accountsUrl: server,
    code: query.code,
    redirectUri: pending.redirectUri,
    via: 'browser',
  });
  return { ...activated, resend: pending.resend };
}
