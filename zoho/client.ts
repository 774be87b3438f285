/** Wires the client together; the only place that knows every part. */
import type { Logger } from 'pino';
import { answeredCallsNamed, type AnsweredCallSubjects } from './answered-call-lookup';
import { Authorization } from './authorization';
import { CoqlReader, type AlongsideQuery } from './coql';
import { ZohoHttp } from './http';
import { Metadata, type NewTextField } from './metadata';
import { ZohoOrgState } from './org-state';
import { CALLER_MODULES, PhoneLookup } from './phone-lookup';
import { RecordWrites, type RecordWrite, type WriteOptions } from './record-writes';
import { Records, type CreateOptions, type CreateResult } from './records';
import { TaskLookup, type TaskParent } from './task-lookup';
import { NO_TELEMETRY, type ZohoTelemetry } from './telemetry';
import type {
  AnsweredCallSummary,
  CallerModule,
  CallerRecords,
  CredentialsSource,
  DealPipeline,
  Edition,
  OpenTaskSummary,
  TaskSummary,
  ZohoField,
  ZohoLayout,
  ZohoModule,
  ZohoOrg,
  ZohoPipeline,
  ZohoUser,
} from './types';

export interface ZohoClient {
  /**
   * The caller's records in `modules` (default all three) whose any phone field equals any of `phones` exactly:
   * open leads (`Converted__s = false`, C4), contacts, and deals whose contact's phone fields match and whose
   * stage is Open (forecast_type) in its pipeline. One composite request when granted (see phone-lookup.ts).
   */
  findCaller(phones: readonly string[], modules?: readonly CallerModule[], leaveOut?: readonly string[]): Promise<CallerRecords>;
  /** Tasks whose `What_Id` is one of these leads/deals, newest first (O2: the task another integration made). */
  findTasksRelatedTo(parents: readonly TaskParent[]): Promise<TaskSummary[]>;
  /** The task of `parent` that carries this idempotency marker, if any (a call's own task, in a rerun). */
  findMarkedTaskOf(parent: TaskParent, marker: string): Promise<string | undefined>;
  /**
   * `findCaller`, and in the same request (C3) the tasks not completed, created since `since`, whose subject starts
   * with `subjectPrefix`.
   */
  findCallerAndOpenTasksNamed(
    phones: readonly string[],
    subjectPrefix: string,
    since: string,
    leaveOut?: readonly string[],
  ): Promise<{ found: CallerRecords; openTasks: OpenTaskSummary[] }>;
  /**
   * `findCaller`, and in the same request (C3) the Calls records and tasks created since `since` that answered calls
   * with the caller left (see answered-call-lookup.ts).
   */
  findCallerAndAnsweredCalls(
    phones: readonly string[],
    subjects: AnsweredCallSubjects,
    since: string,
    leaveOut?: readonly string[],
  ): Promise<{ found: CallerRecords; answeredCalls: AnsweredCallSummary[] }>;
  /** Creates once per idempotency key, however often it is retried (see idempotency.ts). */
  createRecord(module: ZohoModule, data: Record<string, unknown>, options: CreateOptions): Promise<CreateResult>;
  updateRecord(module: ZohoModule, id: string, data: Record<string, unknown>): Promise<void>;
  /**
   * Up to 5 writes of one call, in one composite request when the grant and the `composite` option allow it, one
   * request each otherwise; exactly once either way (see record-writes.ts). A write links to an earlier one with
   * `writtenIdOf(index)`.
   */
  writeRecords(writes: readonly RecordWrite[], options?: WriteOptions): Promise<CreateResult[]>;
  getRecord(module: ZohoModule, id: string): Promise<Record<string, unknown> | null>;
  listUsers(type?: 'ActiveUsers' | 'AllUsers'): Promise<ZohoUser[]>;
  /** The active users' ids, as last read within the metadata cache's lifetime: who may own records. */
  activeUserIds(): Promise<string[]>;
  getOrg(): Promise<ZohoOrg>;
  getFields(module: ZohoModule): Promise<ZohoField[]>;
  /** The module's fields as last read, within the metadata cache's lifetime (checks of edited settings). */
  cachedFields(module: ZohoModule): Promise<ZohoField[]>;
  /** A4: creates a String custom field with this API name; returns its id. Needs ZohoCRM.settings.fields.CREATE. */
  createTextField(module: ZohoModule, field: NewTextField): Promise<string>;
  getLayouts(module: ZohoModule): Promise<ZohoLayout[]>;
  getPipelines(layoutId: string): Promise<ZohoPipeline[]>;
  /** The Deals pipelines of every layout with their Open stages (D4). */
  dealPipelines(): Promise<DealPipeline[]>;
}

export interface ZohoClientOptions {
  credentials: CredentialsSource;
  /** Sizes the concurrency limiter; default 'professional'. */
  edition?: Edition;
  /** Token, limiter, credits and creates shared with the org's other clients; default: this client's own. */
  shared?: ZohoOrgState;
  logger: Logger;
  /** Per HTTP request (Accounts and CRM); default 30 s. */
  requestTimeoutMs?: number;
  /** Where requests, token refreshes and credits are reported (the process's metrics); default nowhere. */
  telemetry?: ZohoTelemetry;
  /**
   * Bundle a call's writes, and queries sent together (the caller lookup, the idempotency checks of a retry),
   * into composite requests when the authorisation has the composite scope; default true
   * (`CALLMATRIX_ZOHO_COMPOSITE`). Off, every record and every query is its own request.
   */
  composite?: boolean;
}

/**
 * Belt and braces: the client never logs tokens, but should a request, a response or credentials reach a log
 * line through some future change, these paths are censored.
 */
const REDACTED_LOG_PATHS = [
  'headers.authorization',
  '*.headers.authorization',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'client_secret',
  '*.client_secret',
  'refreshToken',
  '*.refreshToken',
  'clientSecret',
  '*.clientSecret',
  'accessToken',
  '*.accessToken',
];

export function createZohoClient(options: ZohoClientOptions): ZohoClient {
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const logger = options.logger.child({ component: 'zoho' }, { redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } });
  const edition = options.edition ?? 'professional';
  const shared = options.shared ?? new ZohoOrgState(edition);
  // The latest client's edition sizes the org's limiter.
  shared.limiter.setEdition(edition);
  const telemetry = options.telemetry ?? NO_TELEMETRY;
  const authorization = new Authorization(options.credentials, shared.tokens, timeoutMs, telemetry);
  const http = new ZohoHttp(authorization, shared.limiter, shared.credits, logger, timeoutMs, telemetry);
  const metadata = new Metadata(http);
  const composite = options.composite ?? true;
  const coql = new CoqlReader(http, composite);
  const records = new Records(http, coql, shared.creates);
  const writes = new RecordWrites(http, coql, records, shared.creates, composite);
  const lookup = new PhoneLookup(coql, metadata);
  const tasks = new TaskLookup(coql);
  /**
   * The caller, and in the same request the rows `alongside` asks for (C3). `knownCallerOnly`: rows that only a
   * caller the CRM knows can have (callback tasks, linked to the caller's records) are dropped for a caller it does
   * not know, and asked on their own (without composite requests) only for one it does, as before composite requests.
   */
  const findCallerWith = async <T>(phones: readonly string[], alongside: AlongsideQuery<T[]>, leaveOut: readonly string[] | undefined, knownCallerOnly: boolean) => {
    const wanted = (found: CallerRecords) => !knownCallerOnly || found.leads.length + found.contacts.length + found.deals.length > 0;
    if (await coql.bundles()) {
      const { found, alongside: rows = [] } = await lookup.findCallerWith(phones, CALLER_MODULES, alongside, leaveOut);
      return { found, alongside: wanted(found) ? rows : [] };
    }
    const found = await lookup.findCaller(phones, CALLER_MODULES, leaveOut);
    return { found, alongside: wanted(found) ? alongside.read(await coql.selectAll(alongside.queries)) : [] };
  };
  return {
    findCaller: (phones, modules, leaveOut) => lookup.findCaller(phones, modules, leaveOut),
    findTasksRelatedTo: (parents) => tasks.findTasksRelatedTo(parents),
    findMarkedTaskOf: (parent, marker) => tasks.findMarkedTaskOf(parent, marker),
    findCallerAndOpenTasksNamed: async (phones, subjectPrefix, since, leaveOut) => {
      const { found, alongside } = await findCallerWith(phones, tasks.openTasksNamed(subjectPrefix, since), leaveOut, true);
      return { found, openTasks: alongside };
    },
    findCallerAndAnsweredCalls: async (phones, subjects, since, leaveOut) => {
      // An answered call may have left only its Calls record, linked to nothing: a manager's call to a number the
      // CRM did not know (M11, its callRecord switched on), a scenario that creates no lead, or a rerun whose lookup
      // leaves out the lead this call made while it rang (O1). Only late missed calls ask (asksForAnsweredCalls).
      const { found, alongside } = await findCallerWith(phones, answeredCallsNamed(subjects, since), leaveOut, false);
      return { found, answeredCalls: alongside };
    },
    createRecord: (module, data, createOptions) => records.createRecord(module, data, createOptions),
    updateRecord: (module, id, data) => records.updateRecord(module, id, data),
    writeRecords: (batch, writeOptions) => writes.write(batch, writeOptions),
    getRecord: (module, id) => records.getRecord(module, id),
    listUsers: (type) => metadata.listUsers(type),
    activeUserIds: () => metadata.activeUserIds(),
    getOrg: () => metadata.getOrg(),
    getFields: (module) => metadata.getFields(module),
    cachedFields: (module) => metadata.cachedFields(module),
    createTextField: (module, field) => metadata.createTextField(module, field),
    getLayouts: (module) => metadata.getLayouts(module),
    getPipelines: (layoutId) => metadata.getPipelines(layoutId),
    dealPipelines: () => metadata.dealPipelines(),
  };
}
