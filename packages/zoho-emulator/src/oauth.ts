import { randomBytes } from 'node:crypto';
import type { Clock } from './clock';
import type { DataCentre } from './dc';
import { parseScopes } from './scopes';

/**
 * Zoho Accounts for one org: the registered self client, grant codes, refresh and access tokens (fact sheet §1).
 * Token-endpoint failures are answered as JSON bodies with HTTP 200 (`invalid_code`, `invalid_client`), except the
 * refresh throttle, which answers HTTP 400 "Access Denied".
 */
export const DEFAULT_SCOPES = 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.ALL,ZohoCRM.org.READ,ZohoCRM.coql.READ,ZohoSearch.securesearch.READ';

const GRANT_CODE_TTL_MS = 3 * 60 * 1000;
const THROTTLE_WINDOW_MS = 10 * 60 * 1000;
const REFRESHES_PER_WINDOW = 10;
/** The accounts token-limits page: at most 10 live access tokens per refresh token, the oldest is invalidated. */
const ACCESS_TOKENS_PER_REFRESH_TOKEN = 10;

interface GrantCode {
  code: string;
  scopes: string[];
  redirectUri?: string;
  offline: boolean;
  expiresAt: number;
  used: boolean;
}

interface RefreshToken {
  token: string;
  scopes: string[];
  revoked: boolean;
  refreshedAt: number[];
  accessTokens: string[];
}

export interface AccessToken {
  token: string;
  clientId: string;
  userId: string;
  dc: DataCentre;
  scopes: string[];
  expiresAt: number;
  revoked: boolean;
}

export interface TokenEndpointAnswer {
  httpStatus: number;
  body: Record<string, unknown>;
}

export interface MintGrantCodeOptions {
  scope?: string;
  redirectUri?: string;
  offline?: boolean;
  ttlSeconds?: number;
}

const tokenString = (): string => `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`;
const failure = (error: string): TokenEndpointAnswer => ({ httpStatus: 200, body: { error } });

export class OAuthServer {
  readonly clientId = `1000.${randomBytes(15).toString('hex').toUpperCase()}`;
  readonly clientSecret = randomBytes(21).toString('hex');
  private readonly grantCodes = new Map<string, GrantCode>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private readonly accessTokens = new Map<string, AccessToken>();

  constructor(
    private readonly clock: Clock,
    private readonly dc: DataCentre,
    private readonly adminUserId: string,
    private readonly accessTokenTtlSeconds: number,
    private readonly apiDomain: () => string,
  ) {}

  /** What the API console (self client) or the consent screen produces: a single-use code, 3 minutes by default. */
  mintGrantCode(options: MintGrantCodeOptions = {}): { code: string; scope: string; expiresAt: number } {
    const scopes = parseScopes(options.scope ?? DEFAULT_SCOPES);
    const grant: GrantCode = {
      code: tokenString(),
      scopes,
      redirectUri: options.redirectUri,
      offline: options.offline ?? true,
      expiresAt: this.clock.now() + (options.ttlSeconds !== undefined ? options.ttlSeconds * 1000 : GRANT_CODE_TTL_MS),
      used: false,
    };
    this.grantCodes.set(grant.code, grant);
    return { code: grant.code, scope: scopes.join(','), expiresAt: grant.expiresAt };
  }

  isClient(dc: DataCentre, clientId: string | undefined): boolean {
    // The client is registered in the org's DC only; other DCs' accounts servers do not know it.
    return dc === this.dc && clientId === this.clientId;
  }

  /** `POST /oauth/v2/token`: dispatches on `grant_type`. */
  token(dc: DataCentre, params: Record<string, string | undefined>): TokenEndpointAnswer {
    if (!this.isClient(dc, params.client_id) || params.client_secret !== this.clientSecret) return failure('invalid_client');
    switch (params.grant_type) {
      case 'authorization_code':
        return this.exchangeCode(params.code, params.redirect_uri);
      case 'refresh_token':
        return this.refresh(params.refresh_token);
      default:
        return failure('unsupported_grant_type');
    }
  }

  private exchangeCode(code: string | undefined, redirectUri: string | undefined): TokenEndpointAnswer {
    const grant = code ? this.grantCodes.get(code) : undefined;
    if (!grant || grant.used || grant.expiresAt <= this.clock.now()) return failure('invalid_code');
    if (grant.redirectUri !== undefined && grant.redirectUri !== redirectUri) return failure('invalid_redirect_uri');
    grant.used = true;
    let refresh: RefreshToken | undefined;
    if (grant.offline) {
      refresh = { token: tokenString(), scopes: grant.scopes, revoked: false, refreshedAt: [], accessTokens: [] };
      this.refreshTokens.set(refresh.token, refresh);
    }
    const access = this.issueAccessToken(grant.scopes, refresh);
    return { httpStatus: 200, body: { ...this.accessTokenBody(access), ...(refresh ? { refresh_token: refresh.token } : {}) } };
  }

  private refresh(token: string | undefined): TokenEndpointAnswer {
    const refresh = token ? this.refreshTokens.get(token) : undefined;
    if (!refresh || refresh.revoked) return failure('invalid_code');
    const now = this.clock.now();
    refresh.refreshedAt = refresh.refreshedAt.filter((t) => t > now - THROTTLE_WINDOW_MS);
    if (refresh.refreshedAt.length >= REFRESHES_PER_WINDOW) {
      return {
        httpStatus: 400,
        body: { error: 'Access Denied', error_description: 'You have made too many requests continuously. Please try again after some time.' },
      };
    }
    refresh.refreshedAt.push(now);
    return { httpStatus: 200, body: this.accessTokenBody(this.issueAccessToken(refresh.scopes, refresh)) };
  }

  private issueAccessToken(scopes: string[], refresh: RefreshToken | undefined): AccessToken {
    const access: AccessToken = {
      token: tokenString(),
      clientId: this.clientId,
      userId: this.adminUserId,
      dc: this.dc,
      scopes,
      expiresAt: this.clock.now() + this.accessTokenTtlSeconds * 1000,
      revoked: false,
    };
    this.accessTokens.set(access.token, access);
    if (refresh) {
      refresh.accessTokens.push(access.token);
      while (refresh.accessTokens.length > ACCESS_TOKENS_PER_REFRESH_TOKEN) this.accessTokens.delete(refresh.accessTokens.shift() as string);
    }
    return access;
  }

  private accessTokenBody(access: AccessToken): Record<string, unknown> {
    return {
      access_token: access.token,
      scope: access.scopes.join(' '),
      api_domain: this.apiDomain(),
      token_type: 'Bearer',
      expires_in: this.accessTokenTtlSeconds,
    };
  }

  /**
   * `POST /oauth/v2/token/revoke?token=`: revokes a refresh token (and its access tokens) or a single access token.
   * Unknown tokens are answered like known ones, as RFC 7009 prescribes; Zoho documents only the success shape.
   */
  revoke(token: string | undefined): TokenEndpointAnswer {
    const refresh = token ? this.refreshTokens.get(token) : undefined;
    if (refresh) this.revokeRefreshToken(refresh);
    const access = token ? this.accessTokens.get(token) : undefined;
    if (access) access.revoked = true;
    return { httpStatus: 200, body: { status: 'success' } };
  }

  /** What an admin's password change does: every token of the org stops working. */
  revokeAll(): void {
    for (const refresh of this.refreshTokens.values()) this.revokeRefreshToken(refresh);
    for (const access of this.accessTokens.values()) access.revoked = true;
    for (const grant of this.grantCodes.values()) grant.used = true;
  }

  private revokeRefreshToken(refresh: RefreshToken): void {
    refresh.revoked = true;
    for (const t of refresh.accessTokens) {
      const access = this.accessTokens.get(t);
      if (access) access.revoked = true;
    }
  }

  /** The live access token presented to the API domain of `dc`, if any. */
  authenticate(dc: DataCentre, token: string): AccessToken | undefined {
    const access = this.accessTokens.get(token);
    if (!access || access.revoked || access.dc !== dc || access.expiresAt <= this.clock.now()) return undefined;
    return access;
  }
}
