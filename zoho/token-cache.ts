/**
 * One access token per org and authorisation, shared by every client of the org (ZohoOrgState) and, through a
 * credentials source that keeps one (the activation file), by every process of the deployment. Zoho throttles
 * token requests (about 10 per 10 minutes per refresh token) and caps live access tokens per refresh token, so a
 * token is refreshed only when it is about to expire or Zoho rejected it, and at most one refresh per
 * authorisation is in flight in a process: concurrent callers wait for it instead of starting their own.
 */
import { createHash } from 'node:crypto';
import { ZohoAuthorizationError } from './errors';
import { refreshAccessToken, type AccessGrant } from './oauth';
import type { CredentialsSource, ZohoCredentials } from './types';

/** Refresh this long before expiry (capped at a tenth of the lifetime, so short-lived tokens stay usable). */
const REFRESH_AHEAD_MS = 5 * 60_000;

export interface CachedToken {
  accessToken: string;
  apiDomain: string;
  /** What the token may do; undefined when Zoho did not say (the client then assumes only the required scopes). */
  scopes?: string[];
}

interface Entry {
  token?: CachedToken & { refreshAt: number };
  refreshing?: Promise<CachedToken>;
  /** Set once Accounts said the grant is dead; later callers fail at once instead of hammering Accounts. */
  revoked?: ZohoAuthorizationError;
  /** The token Zoho last rejected: the shared one may still be it until some process refreshes. */
  rejected?: string;
}

/** Keyed by client id and a hash of the refresh token: re-activation (a new refresh token) starts a fresh entry. */
function keyOf(credentials: ZohoCredentials): string {
  const refreshTokenHash = createHash('sha256').update(credentials.refreshToken).digest('hex');
  return `${credentials.accountsUrl ?? credentials.dc}|${credentials.clientId}|${refreshTokenHash}`;
}

export class TokenCache {
  private readonly entries = new Map<string, Entry>();

  private entryFor(credentials: ZohoCredentials): Entry {
    const key = keyOf(credentials);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {};
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** The cached token if it is not due for refresh. */
  fresh(credentials: ZohoCredentials): CachedToken | undefined {
    const token = this.entries.get(keyOf(credentials))?.token;
    return token && Date.now() < token.refreshAt ? token : undefined;
  }

  /**
   * A usable token: the cached one, the one another process keeps in `source`, the refresh already under way, or a
   * new refresh (then kept in `source`). `onRefresh` hears how a refresh this call started ended (for metrics);
   * joining one already under way is not another refresh.
   */
  obtain(credentials: ZohoCredentials, timeoutMs: number, onRefresh?: (ok: boolean) => void, source?: CredentialsSource): Promise<CachedToken> {
    const entry = this.entryFor(credentials);
    if (entry.revoked) return Promise.reject(entry.revoked);
    const cached = this.fresh(credentials) ?? adoptShared(entry, credentials, source);
    if (cached) return Promise.resolve(cached);
    entry.refreshing ??= refresh(entry, credentials, timeoutMs).then(
      async (token) => {
        entry.refreshing = undefined;
        onRefresh?.(true);
        await keepShared(entry, credentials, source);
        return token;
      },
      (err: unknown) => {
        entry.refreshing = undefined;
        onRefresh?.(false);
        throw err;
      },
    );
    return entry.refreshing;
  }

  /**
   * Zoho rejected `accessToken` (401 INVALID_TOKEN): forget it so the next caller refreshes. Only the token that
   * was rejected is dropped, so fifty callers failing with the same stale token cause one refresh, not fifty.
   */
  invalidate(credentials: ZohoCredentials, accessToken: string): void {
    const entry = this.entries.get(keyOf(credentials));
    if (!entry) return;
    entry.rejected = accessToken;
    if (entry.token?.accessToken === accessToken) entry.token = undefined;
  }
}

/** The token another process refreshed for these credentials, if it is not due and not the one Zoho rejected. */
function adoptShared(entry: Entry, credentials: ZohoCredentials, source: CredentialsSource | undefined): CachedToken | undefined {
  const shared = source?.sharedAccessToken?.();
  if (!shared || shared.key !== keyOf(credentials) || Date.now() >= shared.refreshAt || shared.accessToken === entry.rejected) return undefined;
  const { accessToken, apiDomain, scopes, refreshAt } = shared;
  entry.token = { accessToken, apiDomain, ...(scopes ? { scopes } : {}), refreshAt };
  return entry.token;
}

/** Keeps the token this process refreshed where the deployment's other processes find it. */
async function keepShared(entry: Entry, credentials: ZohoCredentials, source: CredentialsSource | undefined): Promise<void> {
  if (!entry.token || !source?.keepAccessToken) return;
  try {
    await source.keepAccessToken({ key: keyOf(credentials), ...entry.token });
  } catch {
    // The token still serves this process; the others refresh their own, as they did before sharing.
  }
}

async function refresh(entry: Entry, credentials: ZohoCredentials, timeoutMs: number): Promise<CachedToken> {
  let grant: AccessGrant;
  try {
    grant = await refreshAccessToken(credentials, timeoutMs);
  } catch (err) {
    if (err instanceof ZohoAuthorizationError) {
      entry.revoked = err;
      entry.token = undefined;
    }
    throw err;
  }
  const lifetimeMs = grant.expiresInSeconds * 1000;
  const token = { accessToken: grant.accessToken, apiDomain: grant.apiDomain, ...(grant.scopes ? { scopes: grant.scopes } : {}) };
  entry.token = { ...token, refreshAt: Date.now() + lifetimeMs - Math.min(REFRESH_AHEAD_MS, lifetimeMs / 10) };
  return token;
}
