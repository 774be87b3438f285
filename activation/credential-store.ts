/**
 * The integration's authorisation and the admin's activation choices, in one encrypted file in
 * CALLMATRIX_DATA_DIR that every worker, shim and CLI process shares (the compose services mount the same
 * volume there). The refresh token lives here only: never in workflow history, never in a log line or a page.
 * It is the CredentialsSource of the Zoho client, so a re-activation reaches every process without a restart.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';
import type { CredentialsSource, DataCentre, SharedAccessToken, ZohoCredentials } from '../zoho';
import { SealedFile } from './sealed-file';

export const ACTIVATION_FILE = 'zoho-activation.sealed';

export interface StoredConnection extends ZohoCredentials {
  /** Where the org's API lives, as the token response named it. */
  apiDomain?: string;
  /** The scopes Zoho granted; unknown for credentials taken over from ZOHO_* variables. */
  scopes?: string[];
  connectedAt: string;
  via: 'browser' | 'grant-code' | 'environment';
  /**
   * The CRM account's IANA zone (Zoho's org `time_zone`), in which the activation pages show times. Read from
   * Zoho once per connection (account-time-zone.ts); absent until then.
   */
  timeZone?: string;
}

export type IntegrationStatus = 'connected' | 'broken' | 'not-connected';

export interface IntegrationHealth {
  status: IntegrationStatus;
  reason?: string;
  /** ISO time the status began. */
  since?: string;
}

/** A2 choices made at activation; they override the settings file (see effective-settings.ts). */
export interface ActivationChoices {
  seniorManagerId?: string;
  /** Employee code (settings file) → Zoho user id. */
  employees: Record<string, string>;
}

/** A browser authorisation between its start and Zoho's redirect back, keyed by a hash of its `state`. */
export interface PendingAuthorization {
  stateHash: string;
  dc: DataCentre;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  resend: boolean;
  expiresAt: number;
  /**
   * A hash of the id of the browser session that started it: only that browser can finish it (`startedIn`).
   * Absent when a script started it with the admin token as a bearer, and in files written before.
   */
  sessionHash?: string;
}

/** A signed-in admin's session on the activation pages, keyed by a hash of its id (the cookie's value). */
interface AdminSession {
  idHash: string;
  expiresAt: number;
}

interface ActivationDocument {
  connection?: StoredConnection;
  broken?: { reason: string; since: string };
  choices: ActivationChoices;
  pending: PendingAuthorization[];
  /** Absent in files written before sessions expired. */
  sessions?: AdminSession[];
  /** The key callers' queues are named by (base64, 32 bytes); absent until a worker first needs it. */
  callerQueueKey?: string;
  /** The access token last refreshed by any process of the deployment (zoho/token-cache.ts). */
  accessToken?: SharedAccessToken;
  /** The latest re-activation started (a hash of its ticket), and the run that claimed it (`claimReactivation`). */
  reactivation?: { ticketHash: string; claimedBy?: string };
}

const EMPTY: ActivationDocument = { choices: { employees: {} }, pending: [] };

const hashSecret = (secret: string): Buffer => crypto.createHash('sha256').update(secret).digest();
const sameHash = (stored: string, given: Buffer): boolean => crypto.timingSafeEqual(Buffer.from(stored, 'base64'), given);

/** Whether the browser whose session cookie holds `sessionId` may finish `pending` (the session that started it). */
export function startedIn(pending: PendingAuthorization, sessionId: string | undefined): boolean {
  return pending.sessionHash === undefined || (sessionId !== undefined && sameHash(pending.sessionHash, hashSecret(sessionId)));
}

export class ActivationStore implements CredentialsSource {
  constructor(
    private readonly file: SealedFile<ActivationDocument>,
    private readonly logger: Logger,
  ) {}

  private document(): ActivationDocument {
    return this.file.read() ?? EMPTY;
  }

  async current(): Promise<ZohoCredentials | null> {
    const connection = this.document().connection;
    if (!connection) return null;
    const { dc, clientId, clientSecret, refreshToken, accountsUrl } = connection;
    return { dc, clientId, clientSecret, refreshToken, ...(accountsUrl ? { accountsUrl } : {}) };
  }

  /** The stored connection, secrets included: for this process's own use, never for a page or a log. */
  connection(): StoredConnection | undefined {
    return this.document().connection;
  }

  /** Set while Zoho refuses the stored authorisation (R1), until a re-activation. */
  broken(): { reason: string; since: string } | undefined {
    return this.document().broken;
  }

  choices(): ActivationChoices {
    return this.document().choices;
  }

  /**
   * The key callers' queues are named by (temporal/caller-key.ts): `first()` for the first worker that asks, kept
   * under the file's lock so workers starting together agree, and sealed here through every encryption-key rotation.
   */
  async callerQueueKey(first: () => Buffer): Promise<Buffer> {
    const kept = this.document().callerQueueKey ?? (await this.file.update((doc = EMPTY) => (doc.callerQueueKey ? doc : { ...doc, callerQueueKey: first().toString('base64') }))).callerQueueKey!;
    return Buffer.from(kept, 'base64');
  }

  /** The access token another process refreshed (only this deployment's processes can open the file). */
  sharedAccessToken(): SharedAccessToken | undefined {
    return this.document().accessToken;
  }

  async keepAccessToken(token: SharedAccessToken): Promise<void> {
    await this.file.update((doc = EMPTY) => ({ ...doc, accessToken: token }));
  }

  /** A new re-activation's ticket (temporal/reactivation.ts): every ticket issued before is void from now on. */
  async issueReactivation(): Promise<string> {
    const ticket = crypto.randomBytes(32).toString('base64url');
    await this.file.update((doc = EMPTY) => ({ ...doc, reactivation: { ticketHash: hashSecret(ticket).toString('base64') } }));
    return ticket;
  }

  /**
   * Whether the re-activation run `runId` may resume calls: its ticket is the latest issued, and no other run has
   * claimed it. A run that claimed it may ask again (its activity retried); a start copied from an earlier
   * re-activation's history, or this one's started again, may not.
   */
  async claimReactivation(ticket: string | undefined, runId: string): Promise<boolean> {
    if (!ticket) return false;
    const given = hashSecret(ticket);
    let claimed = false;
    await this.file.update((doc = EMPTY) => {
      const latest = doc.reactivation;
      if (!latest || !sameHash(latest.ticketHash, given) || (latest.claimedBy !== undefined && latest.claimedBy !== runId)) return doc;
      claimed = true;
      return { ...doc, reactivation: { ...latest, claimedBy: runId } };
    });
    return claimed;
  }

  /** (Re-)activation: the new authorisation replaces the old one and the integration is no longer broken. */
  async connect(connection: StoredConnection): Promise<void> {
    await this.file.update((doc = EMPTY) => ({ ...doc, connection, broken: undefined, accessToken: undefined }));
    this.logger.info({ dc: connection.dc, via: connection.via, scopes: connection.scopes }, 'Zoho CRM connected');
  }

  /**
   * Zoho refused the authorisation (R1). Pass the credentials that were refused: a refusal of a refresh token the
   * admin has meanwhile replaced by re-activating is stale and changes nothing.
   */
  async markBroken(reason: string, refused?: ZohoCredentials): Promise<void> {
    let changed = false;
    await this.file.update((doc = EMPTY) => {
      const stale = refused && doc.connection?.refreshToken !== refused.refreshToken;
      if (!doc.connection || stale || doc.broken) return doc;
      changed = true;
      return { ...doc, broken: { reason, since: new Date().toISOString() } };
    });
    if (changed) this.logger.error({ reason }, 'Zoho CRM integration broken: an admin must re-activate it (callmatrix activate, or the /activation page)');
  }

  /** Keeps the account's time zone with the connection it was read through, unless a re-activation replaced it meanwhile. */
  async recordTimeZone(timeZone: string, readThrough: StoredConnection): Promise<void> {
    await this.file.update((doc = EMPTY) =>
      doc.connection && doc.connection.refreshToken === readThrough.refreshToken ? { ...doc, connection: { ...doc.connection, timeZone } } : doc,
    );
  }

  async chooseSeniorManager(zohoUserId: string): Promise<void> {
    await this.updateChoices((choices) => ({ ...choices, seniorManagerId: zohoUserId }));
  }

  /** Maps an employee to a Zoho user; `undefined` removes the mapping (the settings file's applies again). */
  async mapEmployee(code: string, zohoUserId: string | undefined): Promise<void> {
    await this.mapEmployees(new Map([[code, zohoUserId]]));
  }

  /** Several mappings (employee code → user id, or `undefined` to remove), kept in one write. */
  async mapEmployees(mappings: ReadonlyMap<string, string | undefined>): Promise<void> {
    await this.updateChoices((choices) => {
      const employees = { ...choices.employees };
      for (const [code, zohoUserId] of mappings) {
        if (zohoUserId) employees[code] = zohoUserId;
        else delete employees[code];
      }
      return { ...choices, employees };
    });
  }

  private async updateChoices(change: (choices: ActivationChoices) => ActivationChoices): Promise<void> {
    await this.file.update((doc = EMPTY) => ({ ...doc, choices: change(doc.choices) }));
  }

  /** `sessionId`: the browser session starting it, which alone may finish it. */
  async addPendingAuthorization(state: string, pending: Omit<PendingAuthorization, 'stateHash' | 'sessionHash'>, sessionId?: string): Promise<void> {
    const now = Date.now();
    const added: PendingAuthorization = { ...pending, stateHash: hashSecret(state).toString('base64'), ...(sessionId && { sessionHash: hashSecret(sessionId).toString('base64') }) };
    await this.file.update((doc = EMPTY) => ({ ...doc, pending: [...doc.pending.filter((p) => p.expiresAt > now), added] }));
  }

  /**
   * The pending authorisation of `state`, removed so the state works once. Undefined when the state is unknown,
   * used or expired. Compared in constant time, so response timing tells nothing about valid states.
   */
  async takePendingAuthorization(state: string): Promise<PendingAuthorization | undefined> {
    const given = hashSecret(state);
    const now = Date.now();
    let found: PendingAuthorization | undefined;
    await this.file.update((doc = EMPTY) => {
      found = doc.pending.find((p) => sameHash(p.stateHash, given));
      return { ...doc, pending: doc.pending.filter((p) => p !== found && p.expiresAt > now) };
    });
    return found && found.expiresAt > now ? found : undefined;
  }

  /**
   * Sessions live in the shared file, so every shim replica knows them and a sign-out ends a session everywhere.
   * Expired ones are dropped whenever sessions change.
   */
  async addSession(id: string, expiresAt: number): Promise<void> {
    const now = Date.now();
    await this.file.update((doc = EMPTY) => ({
      ...doc,
      sessions: [...(doc.sessions ?? []).filter((s) => s.expiresAt > now), { idHash: hashSecret(id).toString('base64'), expiresAt }],
    }));
  }

  /** Whether `id` is a session that has not expired nor been ended; compared in constant time. */
  hasSession(id: string): boolean {
    const given = hashSecret(id);
    const now = Date.now();
    return (this.document().sessions ?? []).some((s) => sameHash(s.idHash, given) && s.expiresAt > now);
  }

  async endSession(id: string): Promise<void> {
    const given = hashSecret(id);
    const now = Date.now();
    await this.file.update((doc = EMPTY) => ({ ...doc, sessions: (doc.sessions ?? []).filter((s) => !sameHash(s.idHash, given) && s.expiresAt > now) }));
  }
}

export interface ActivationStoreOptions {
  dataDir: string;
  /** CALLMATRIX_ENCRYPTION_KEY: the file key is derived from it. */
  encryptionKey: string;
  previousEncryptionKeys?: string[];
  logger: Logger;
  /** Credentials from ZOHO_* variables: stored when nothing is, so deployments configured that way keep working. */
  seed?: ZohoCredentials | null;
}

export async function openActivationStore(options: ActivationStoreOptions): Promise<ActivationStore> {
  const file = new SealedFile<ActivationDocument>({
    file: path.join(options.dataDir, ACTIVATION_FILE),
    encryptionKey: options.encryptionKey,
    previousEncryptionKeys: options.previousEncryptionKeys,
    purpose: 'zoho activation',
  });
  const logger = options.logger.child({ component: 'activation' });
  const store = new ActivationStore(file, logger);
  const seed = options.seed;
  // Read at once, so a wrong key stops the process at start rather than at its first call.
  const stored = store.connection();
  // After a key rotation: sealed again under the new key at once, so the previous key can later be dropped.
  if (await file.resealUnderCurrentKey()) logger.info('activation file sealed again under the current CALLMATRIX_ENCRYPTION_KEY');
  if (seed && !stored) {
    await file.update((doc = EMPTY) => (doc.connection ? doc : { ...doc, connection: { ...seed, connectedAt: new Date().toISOString(), via: 'environment' } }));
  }
  return store;
}

/** The integration's state for the health endpoints (http/health.ts): a broken integration must be visible there (R1). */
export function integrationHealth(store: ActivationStore): IntegrationHealth {
  const connection = store.connection();
  const broken = store.broken();
  if (!connection) return { status: 'not-connected' };
  if (broken) return { status: 'broken', reason: broken.reason, since: broken.since };
  return { status: 'connected', since: connection.connectedAt };
}
