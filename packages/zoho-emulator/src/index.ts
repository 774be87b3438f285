import { accountsUrl, type DataCentre } from './dc';
import type { Edition } from './limits';
import { buildServer } from './server';
import { keepRecordsIn, readRecordFile } from './record-file';
import { EmulatorState } from './state';

/**
 * A local Zoho CRM (API v8) and Zoho Accounts, faithful to `shared/reference/zoho-crm-api.md`.
 * See README.md for the URL scheme and the inspection/fault API.
 */
export { accountsUrl, type DataCentre } from './dc';
export type { Edition } from './limits';
export { EmulatorAdmin, type LoggedRequest } from './admin';

export interface EmulatorOptions {
  /** 0 = random free port (default 0). */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** The DC the emulated org lives in (default 'us'). */
  dc?: DataCentre;
  /** Default 'professional': concurrency 15, sub-concurrency 10. */
  edition?: Edition;
  /** Added to every CRM API response (default 0). */
  latencyMs?: number;
  /** Default 3600. */
  accessTokenTtlSeconds?: number;
  /** 'demo' (default) seeds a few records; 'empty' has the same org, users and metadata but no records. */
  seed?: 'demo' | 'empty';
  /** 'demo' (default): the org has the rs_* custom fields; 'none': it has no custom field yet. */
  customFields?: 'demo' | 'none';
  /** New or edited records stay invisible to /search (not to COQL) for this long; default 0. */
  searchIndexLagMs?: number;
  /**
   * Keeps the records in this JSON file across restarts: read at start (instead of the seed's records, once it
   * exists) and saved after each change. Default: records live in memory only.
   */
  recordFile?: string;
  logger?: boolean;
}

export interface RunningEmulator {
  /** Base URL, e.g. http://127.0.0.1:43123. */
  url: string;
  /** What the token endpoint returns as api_domain; the CRM API is `${apiDomain}/crm/v8/...`. */
  apiDomain: string;
  /** Accounts server of the org's DC; token endpoint = `${accountsUrl}/oauth/v2/token`. */
  accountsUrl: string;
  /** Accounts server of another DC (for wrong-DC tests). */
  accountsUrlFor(dc: DataCentre): string;
  /** A registered OAuth client (self client) of the org. */
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = new EmulatorState({
    dc: options.dc ?? 'us',
    edition: options.edition ?? 'professional',
    seed: options.seed ?? 'demo',
    customFields: options.customFields,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    settings: { latencyMs: options.latencyMs ?? 0, searchIndexLagMs: options.searchIndexLagMs ?? 0, phoneSearch: 'exact', invalidTokenCode: 'INVALID_TOKEN' },
    savedRecords: options.recordFile ? readRecordFile(options.recordFile) : undefined,
  });
  const recordFile = options.recordFile ? keepRecordsIn(options.recordFile, state.store) : undefined;
  const app = await buildServer(state, options.logger ?? false);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the emulator is not listening on a TCP port');
  state.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  return {
    url: state.baseUrl,
    apiDomain: state.apiDomain,
    accountsUrl: state.accountsUrl,
    accountsUrlFor: (dc) => accountsUrl(state.baseUrl, dc),
    clientId: state.oauth.clientId,
    clientSecret: state.oauth.clientSecret,
    close: async () => {
      // Held calls would keep their connections, and so the server, open.
      state.faults.clear();
      await app.close();
      recordFile?.flush();
    },
  };
}
