/**
 * Shared set-up for the client's tests: an emulator, an authorisation obtained the way activation will obtain it
 * (grant code → refresh token), a client on it, and every log line the client writes, captured.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { EmulatorAdmin, startEmulator } from '@callmatrix/zoho-emulator';
import { createZohoClient, exchangeAuthorizationCode, ZohoOrgState, type ZohoClient, type DataCentre, type ZohoClientOptions, type ZohoCredentials } from '../../zoho';

/** A running emulator and the data centre it emulates. */
export type TestEmulator = Awaited<ReturnType<typeof startEmulator>> & { dc: DataCentre };
export type EmulatorOptions = NonNullable<Parameters<typeof startEmulator>[0]>;

/** A pino logger at debug level whose lines are kept in `lines`. */
export function capturingLogger(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** What an admin does at activation: a grant code from the console, exchanged for a refresh token. */
export async function authorize(emulator: TestEmulator, admin: EmulatorAdmin, scope?: string): Promise<ZohoCredentials> {
  const { code } = await admin.mintGrantCode(scope ? { scope } : {});
  const identity = { dc: emulator.dc, clientId: emulator.clientId, clientSecret: emulator.clientSecret, accountsUrl: emulator.accountsUrl };
  const { refreshToken } = await exchangeAuthorizationCode(identity, code, 5_000);
  return { ...identity, refreshToken };
}

/** A credentials store the test can swap, like re-activation swaps the stored refresh token. */
export class MutableCredentials {
  reads = 0;
  constructor(public value: ZohoCredentials | null) {}
  async current(): Promise<ZohoCredentials | null> {
    this.reads++;
    return this.value;
  }
}

export interface TestZoho {
  emulator: TestEmulator;
  admin: EmulatorAdmin;
  credentials: MutableCredentials;
  client: ZohoClient;
  logs: string[];
  /** Another client on the same credentials, as a second activity would make. */
  newClient(options?: Partial<ZohoClientOptions>): ZohoClient;
  close(): Promise<void>;
}

export async function startZoho(options: EmulatorOptions = {}, clientOptions: Partial<ZohoClientOptions> = {}): Promise<TestZoho> {
  const dc = options.dc ?? 'us';
  const emulator = Object.assign(await startEmulator({ seed: 'empty', ...options, dc }), { dc });
  const admin = new EmulatorAdmin(emulator.url);
  const credentials = new MutableCredentials(await authorize(emulator, admin));
  const { logger, lines } = capturingLogger();
  // The clients of one org share its token, limiter and credits, as in an org context.
  const shared = new ZohoOrgState(options.edition ?? 'professional');
  const newClient = (overrides: Partial<ZohoClientOptions> = {}): ZohoClient =>
    createZohoClient({ credentials, logger, edition: options.edition, requestTimeoutMs: 5_000, shared, ...clientOptions, ...overrides });
  return { emulator, admin, credentials, client: newClient(), logs: lines, newClient, close: () => emulator.close() };
}
