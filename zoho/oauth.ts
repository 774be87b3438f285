/**
 * Zoho Accounts' token endpoint. Accounts reports failures in the JSON body, often with HTTP 200, so success is
 * "the body has an access_token", as in Zoho's own SDK.
 */
import { ACCOUNTS_SERVERS, API_DOMAINS, isTrustedApiDomain, type DataCentre } from './data-centres';
import { ZohoAuthorizationError, ZohoRateLimitError, ZohoTransientError } from './errors';
import { parseScopes } from './scopes';
import { send } from './transport';

export interface AccessGrant {
  accessToken: string;
  /** Where this org's API lives (`https://www.zohoapis.eu`…); the token response is the authority on it. */
  apiDomain: string;
  /** Lifetime in seconds as Zoho reported it. */
  expiresInSeconds: number;
  /** The scopes the token carries, when the response lists them. */
  scopes?: string[];
}

interface ClientIdentity {
  dc: DataCentre;
  clientId: string;
  clientSecret: string;
  accountsUrl?: string;
}

/** Errors meaning the grant (refresh token or code) or the client itself is no longer valid. */
const REVOKED = new Set(['invalid_code', 'invalid_client']);

export function accountsServer(identity: Pick<ClientIdentity, 'dc' | 'accountsUrl'>): string {
  return identity.accountsUrl ?? ACCOUNTS_SERVERS[identity.dc];
}

export async function refreshAccessToken(
  identity: ClientIdentity & { refreshToken: string },
  timeoutMs: number,
): Promise<AccessGrant> {
  const body = await tokenRequest(identity, { grant_type: 'refresh_token', refresh_token: identity.refreshToken }, timeoutMs);
  return toGrant(identity, body);
}

/**
 * Exchanges an authorisation code (activation) for a refresh token and a first access token.
 * The refresh token is a secret: the caller stores it encrypted and never logs it.
 * `scope` lists the granted scopes as Zoho wrote them (comma- or space-separated), when the response has it.
 */
export async function exchangeAuthorizationCode(
  identity: ClientIdentity,
  code: string,
  timeoutMs: number,
  redirectUri?: string,
): Promise<AccessGrant & { refreshToken: string; scope?: string }> {
  const body = await tokenRequest(
    identity,
    { grant_type: 'authorization_code', code, ...(redirectUri ? { redirect_uri: redirectUri } : {}) },
    timeoutMs,
  );
  if (typeof body.refresh_token !== 'string') throw new ZohoAuthorizationError('revoked', 'Zoho issued no refresh token for this authorisation code');
  return { ...toGrant(identity, body), refreshToken: body.refresh_token, ...(typeof body.scope === 'string' ? { scope: body.scope } : {}) };
}

async function tokenRequest(identity: ClientIdentity, grant: Record<string, string>, timeoutMs: number): Promise<Record<string, unknown>> {
  const response = await send({
    method: 'POST',
    url: `${accountsServer(identity)}/oauth/v2/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    data: new URLSearchParams({ ...grant, client_id: identity.clientId, client_secret: identity.clientSecret }).toString(),
    timeoutMs,
    subject: `Zoho Accounts token request (${identity.dc})`,
  });
  const body = (response.data && typeof response.data === 'object' ? response.data : {}) as Record<string, unknown>;
  if (typeof body.access_token === 'string') return body;

  const error = typeof body.error === 'string' ? body.error : undefined;
  if (error && REVOKED.has(error)) {
    throw new ZohoAuthorizationError('revoked', `Zoho Accounts refused the grant (${error}): the integration must be re-activated`);
  }
  if (error === 'Access Denied') {
    throw new ZohoRateLimitError(`Zoho Accounts throttled token requests: ${String(body.error_description ?? error)}`);
  }
  throw new ZohoTransientError(`Zoho Accounts token request failed: HTTP ${response.status}${error ? ` (${error})` : ''}`);
}

function toGrant(identity: ClientIdentity, body: Record<string, unknown>): AccessGrant {
  if (typeof body.api_domain !== 'string') throw new ZohoTransientError('Zoho Accounts answered without api_domain');
  // The access token goes wherever api_domain says: only to Zoho's API domain of this data centre (issue 14).
  if (!isTrustedApiDomain(body.api_domain, identity.dc, identity.accountsUrl)) {
    throw new ZohoAuthorizationError(
      'revoked',
      `Zoho Accounts at ${accountsServer(identity)} named API domain ${body.api_domain}, which is not Zoho's API domain of data centre ` +
        `${identity.dc} (${API_DOMAINS[identity.dc]}); the token was not used. Check ZOHO_DC and ZOHO_ACCOUNTS_URL, then re-activate`,
    );
  }
  // Old responses carried `expires_in` in milliseconds next to `expires_in_sec`; current ones only `expires_in` in seconds.
  const expiresIn = Number(body.expires_in_sec ?? body.expires_in);
  return {
    accessToken: body.access_token as string,
    apiDomain: body.api_domain,
    expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600,
    ...(typeof body.scope === 'string' ? { scopes: parseScopes(body.scope) } : {}),
  };
}
