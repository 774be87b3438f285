import axios, { type AxiosInstance } from 'axios';
import type { DataCentre } from './dc';
import type { ActiveFault, FaultSpec } from './faults';
import type { SettingsUpdate } from './inspection-routes';
import type { EmulatorSettings } from './state';
import type { LoggedRequest } from './request-log';

/** A typed client of the emulator's `/__emulator` API, usable from another process than the emulator's. */
export interface EmulatorConnection {
  url: string;
  dc: DataCentre;
  apiDomain: string;
  accountsUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface EmulatorSnapshot {
  now: string;
  edition: string;
  settings: EmulatorSettings;
  credits: { used: number; limit: number };
  concurrency: { limit: number; subConcurrency: number; inFlight: number };
  faults: ActiveFault[];
}

export interface GrantCode {
  code: string;
  scope: string;
  expiresAt: number;
}

export interface Authorization {
  accessToken: string;
  refreshToken: string;
  apiDomain: string;
  expiresIn: number;
}

export type { ActiveFault, FaultSpec, LoggedRequest, SettingsUpdate };

export class EmulatorAdmin {
  private readonly http: AxiosInstance;

  constructor(baseUrl: string) {
    this.http = axios.create({ baseURL: `${baseUrl.replace(/\/$/, '')}/__emulator` });
  }

  private async get<T>(path: string, params?: Record<string, unknown>): Promise<T> {
    return (await this.http.get<T>(path, { params })).data;
  }

  private async send<T>(method: 'post' | 'put' | 'delete', path: string, body?: unknown): Promise<T> {
    return (await this.http.request<T>({ method, url: path, data: body })).data;
  }

  connection(): Promise<EmulatorConnection> {
    return this.get('/connection');
  }

  state(): Promise<EmulatorSnapshot> {
    return this.get('/state');
  }

  /** Initial records, settings, limits and clock; OAuth clients and tokens are kept. */
  reset(): Promise<EmulatorSnapshot> {
    return this.send('post', '/reset');
  }

  updateSettings(settings: SettingsUpdate): Promise<EmulatorSnapshot> {
    return this.send('put', '/settings', settings);
  }

  async advanceClock(ms: number): Promise<Date> {
    return new Date((await this.send<{ now: string }>('post', '/clock/advance', { ms })).now);
  }

  /** A self-client grant code, as generated in the API console (default: the full integration scope, 3 minutes). */
  mintGrantCode(options: { scope?: string; ttlSeconds?: number } = {}): Promise<GrantCode> {
    return this.send('post', '/oauth/grant-code', options);
  }

  /** Revokes every grant and token of the org (as a password change does) and returns a fresh grant code. */
  revokeAllTokens(): Promise<GrantCode> {
    return this.send('post', '/oauth/revoke-all');
  }

  /** Mints a grant code and exchanges it at the real token endpoint, as an admin activating the integration would. */
  async authorize(options: { scope?: string } = {}): Promise<Authorization> {
    const [connection, grant] = await Promise.all([this.connection(), this.mintGrantCode(options)]);
    const params = new URLSearchParams({ grant_type: 'authorization_code', client_id: connection.clientId, client_secret: connection.clientSecret, code: grant.code });
    const { data } = await axios.post<Record<string, unknown>>(`${connection.accountsUrl}/oauth/v2/token`, params);
    if (typeof data.access_token !== 'string') throw new Error(`authorization failed: ${JSON.stringify(data)}`);
    return { accessToken: data.access_token, refreshToken: String(data.refresh_token), apiDomain: String(data.api_domain), expiresIn: Number(data.expires_in) };
  }

  addFault(fault: FaultSpec): Promise<ActiveFault> {
    return this.send('post', '/faults', fault);
  }

  async faults(): Promise<ActiveFault[]> {
    return (await this.get<{ faults: ActiveFault[] }>('/faults')).faults;
  }

  async clearFaults(): Promise<void> {
    await this.send('delete', '/faults');
  }

  /** Every record of a module, converted leads included, rendered with all fields. */
  async records(module: string): Promise<Record<string, unknown>[]> {
    return (await this.get<{ data: Record<string, unknown>[] }>(`/records/${module}`)).data;
  }

  /** Stores records as given, without validation (lookups as `{"id"}` or bare ids); returns them rendered. */
  async seedRecords(module: string, records: Record<string, unknown>[], options: { createdTime?: string } = {}): Promise<Record<string, unknown>[]> {
    return (await this.send<{ data: Record<string, unknown>[] }>('post', `/records/${module}`, { records, ...options })).data;
  }

  /**
   * Makes a record read-only for the API user (`readOnly: false`: writable again), as Zoho's record sharing or a
   * territory can: an update of it answers CANNOT_PERFORM_ACTION for that record alone.
   */
  async setReadOnly(module: string, id: string, readOnly = true): Promise<void> {
    await this.send('put', `/records/${module}/${id}/read-only`, { readOnly });
  }

  async requests(afterSeq = 0): Promise<LoggedRequest[]> {
    return (await this.get<{ requests: LoggedRequest[] }>('/requests', { after: afterSeq })).requests;
  }

  async clearRequests(): Promise<void> {
    await this.send('delete', '/requests');
  }

  stats(): Promise<{ total: number; byEndpoint: Record<string, number> }> {
    return this.get('/stats');
  }
}
