import { Clock } from './clock';
import type { CrmRoute } from './crm-route';
import { accountsUrl, apiDomain, type DataCentre } from './dc';
import { Faults } from './faults';
import { IdGenerator } from './ids';
import { Limits, type Edition } from './limits';
import { OAuthServer } from './oauth';
import type { ModuleName } from './modules';
import type { Organisation } from './org';
import { RequestLog } from './request-log';
import { buildOrganisation, licensedUsers, seedDemoRecords } from './seed';
import { RecordStore, type SavedRecord } from './store';

/** Behaviour that tests may change while the emulator runs (`PUT /__emulator/settings`). */
export interface EmulatorSettings {
  latencyMs: number;
  searchIndexLagMs: number;
  /**
   * How `?phone=` search compares numbers. Zoho documents no normalisation and integrations observe exact-string
   * matching ('exact', the default); 'digits' compares digits only, to test a client against both behaviours.
   */
  phoneSearch: 'exact' | 'digits';
  /** The 401 code for a dead token: INVALID_TOKEN normally; Zoho sometimes answers AUTHENTICATION_FAILURE. */
  invalidTokenCode: 'INVALID_TOKEN' | 'AUTHENTICATION_FAILURE';
}

export interface StateOptions {
  dc: DataCentre;
  edition: Edition;
  seed: 'demo' | 'empty';
  /** 'demo': the rs_* custom fields callmatrix expects; 'none': an org whose admin has created none yet (A3, A4). */
  customFields?: 'demo' | 'none';
  accessTokenTtlSeconds: number;
  settings: EmulatorSettings;
  /** Records saved by an earlier run (the demo CRM's file), taken instead of the seed's. */
  savedRecords?: SavedRecord[];
}

/** Everything one emulated org holds; the HTTP layers are thin views on it. */
export class EmulatorState {
  readonly clock = new Clock();
  readonly ids = new IdGenerator();
  readonly org: Organisation;
  readonly store: RecordStore;
  readonly oauth: OAuthServer;
  readonly limits: Limits;
  readonly faults = new Faults();
  readonly log = new RequestLog();
  /** Every CRM API route, as registered: composite sub-requests are dispatched through them. */
  readonly routes: CrmRoute[] = [];
  settings: EmulatorSettings;
  /** `module/id` of the records the API user may not change (see `setReadOnly`). */
  private readonly readOnlyRecords = new Set<string>();
  /** Set once the server listens; every URL the emulator hands out derives from it. */
  baseUrl = '';

  constructor(private readonly options: StateOptions) {
    this.settings = { ...options.settings };
    this.org = buildOrganisation(this.ids, options.dc, options.edition, options.customFields);
    this.store = new RecordStore(this.clock, this.ids, () => this.settings.searchIndexLagMs, this.org.timeZone);
    this.oauth = new OAuthServer(this.clock, options.dc, this.org.adminUserId, options.accessTokenTtlSeconds, () => this.apiDomain);
    this.limits = new Limits(this.clock, () => this.org.edition, licensedUsers(this.org));
    if (options.savedRecords) this.store.restore(options.savedRecords);
    else this.seedRecords();
  }

  get apiDomain(): string {
    return apiDomain(this.baseUrl, this.org.dc);
  }

  get accountsUrl(): string {
    return accountsUrl(this.baseUrl, this.org.dc);
  }

  /**
   * Makes a record read-only for the API user, or writable again: as Zoho's record sharing with "read only" access
   * leaves it to a user, or a territory or an owner whose records the user may not edit. An update of it answers
   * CANNOT_PERFORM_ACTION for that record alone; reads and every other record are unaffected.
   */
  setReadOnly(module: ModuleName, id: string, readOnly: boolean): void {
    if (readOnly) this.readOnlyRecords.add(`${module}/${id}`);
    else this.readOnlyRecords.delete(`${module}/${id}`);
  }

  isReadOnly(module: ModuleName, id: string): boolean {
    return this.readOnlyRecords.has(`${module}/${id}`);
  }

  private seedRecords(): void {
    if (this.options.seed === 'demo') seedDemoRecords(this.store, this.org);
  }

  /** Back to the initial records, settings, limits and clock; OAuth clients and tokens stay as they are. */
  reset(): void {
    this.store.clear();
    this.seedRecords();
    this.faults.clear();
    this.readOnlyRecords.clear();
    this.log.clear();
    this.limits.reset();
    this.clock.reset();
    this.settings = { ...this.options.settings };
    this.org.edition = this.options.edition;
  }
}
