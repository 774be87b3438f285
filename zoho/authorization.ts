/**
 * A client's view of its authorisation: the credentials it was given (re-read from the CredentialsSource on
 * every refresh, so a re-activation is picked up without a restart) and the org's token for them.
 */
import { ZohoAuthorizationError } from './errors';
import type { CachedToken, TokenCache } from './token-cache';
import type { ZohoTelemetry } from './telemetry';
import type { CredentialsSource, ZohoCredentials } from './types';

export interface Access {
  credentials: ZohoCredentials;
  token: CachedToken;
}

export class Authorization {
  private credentials?: ZohoCredentials;
  private reading?: Promise<ZohoCredentials>;

  constructor(
    private readonly source: CredentialsSource,
    private readonly tokens: TokenCache,
    private readonly timeoutMs: number,
    private readonly telemetry: ZohoTelemetry,
  ) {}

  async access(): Promise<Access> {
    const known = this.credentials;
    const cached = known && this.tokens.fresh(known);
    if (known && cached) return { credentials: known, token: cached };
    const credentials = await this.readCredentials();
    return { credentials, token: await this.tokens.obtain(credentials, this.timeoutMs, (ok) => this.telemetry.tokenRefreshed(ok), this.source) };
  }

  /** Zoho refused this token; the next access() refreshes (once, however many callers saw the refusal). */
  reject(access: Access): void {
    this.tokens.invalidate(access.credentials, access.token.accessToken);
  }

  private readCredentials(): Promise<ZohoCredentials> {
    this.reading ??= this.source
      .current()
      .then((credentials) => {
        if (!credentials) throw new ZohoAuthorizationError('not_connected', 'Zoho CRM is not connected: no credentials are stored');
        this.credentials = credentials;
        return credentials;
      })
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }
}
