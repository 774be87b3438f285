/**
 * A call's writes, bundled when the grant allows it: up to five records per composite request, run as one
 * transaction (`rollback_on_fail`), a later record linking to one created earlier in the same request by a
 * reference. Without the composite scope or with bundling switched off, the writes go as one request each; so
 * do they when a unique field names an existing record (DUPLICATE_DATA: the transaction committed nothing, and
 * the separate path reuses that record). Any other refusal fails the whole bundle, which committed nothing.
 *
 * Exactly once: every create carries its idempotency marker either way. A retry (not the first attempt) first
 * looks the creates' markers up, all in one composite request of COQL queries when granted, and writes only what
 * no earlier attempt committed; a bundle that timed out after Zoho committed it is then found whole.
 */
import type { CoqlReader } from './coql';
import { compositeGranted, createdIdOf, MAX_SUB_REQUESTS, sendComposite, type SubRequest } from './composite';
import { ZohoTransientError, type ZohoValidationError } from './errors';
import { refusalOf, zohoErrorOf, type ZohoHttp } from './http';
import { markedIdIn, markerOf, markerQuery, withMarker, type CreateQueue } from './idempotency';
import { writeSubject, type CreateResult, type Records } from './records';
import type { ZohoModule } from './types';

export type RecordWrite =
  | { kind: 'create'; module: ZohoModule; data: Record<string, unknown>; idempotencyKey: string }
  | { kind: 'update'; module: ZohoModule; id: string; data: Record<string, unknown> };

export interface WriteOptions {
  /** No earlier attempt can have run (see CreateOptions.firstAttempt): the marker lookups are skipped. */
  firstAttempt?: boolean;
  /** Told of each record as soon as it is known written, in order, so a later failure can list them. */
  onWritten?(index: number, result: CreateResult): void;
}

const subRequestId = (index: number): string => `w${index}`;

/**
 * What a write's `data` (or an update's id) puts where write `index`'s record id goes: a reference inside a
 * bundle, replaced by the id itself when the writes go separately.
 */
export const writtenIdOf = (index: number): string => createdIdOf(subRequestId(index));

/** Whether `text` still holds a reference to a write whose record id is not known. */
const hasReference = (text: string): boolean => /@\{w\d+:/.test(text);

/** `value` with every reference to the writes in `ids` replaced by their record ids. */
function withIds<T>(value: T, ids: ReadonlyMap<number, string>): T {
  if (ids.size === 0) return value;
  let json = JSON.stringify(value);
  for (const [index, id] of ids) json = json.split(JSON.stringify(writtenIdOf(index)).slice(1, -1)).join(id);
  return JSON.parse(json) as T;
}

/** A record Zoho refused inside a 2xx answer, or an answer without the record's id. */
function recordError(body: unknown, subject: string): ZohoValidationError {
  return refusalOf(zohoErrorOf(body) ?? { code: 'UNEXPECTED_RESPONSE', message: 'Zoho answered without the record id', details: {} }, subject);
}

/** What a write of a bundle is about, naming its record when its id is known (not a reference into the bundle). */
function subjectOf(write: RecordWrite): string {
  return writeSubject(write.module, write.kind === 'update' && !hasReference(write.id) ? write.id : undefined);
}

export class RecordWrites {
  constructor(
    private readonly http: ZohoHttp,
    private readonly coql: CoqlReader,
    private readonly records: Records,
    private readonly creates: CreateQueue,
    /** The setting: bundle writes when the grant allows it. */
    private readonly bundle: boolean,
  ) {}

  /** Writes up to MAX_SUB_REQUESTS records; a write may link to an earlier one of the same call by `writtenIdOf`. */
  async write(writes: readonly RecordWrite[], options: WriteOptions = {}): Promise<CreateResult[]> {
    if (writes.length > MAX_SUB_REQUESTS) throw new RangeError(`at most ${MAX_SUB_REQUESTS} writes at once, got ${writes.length}`);
    const first = writes.find((w) => w.kind === 'create');
    // An attempt that timed out locally but still runs must not race its retry: same writes, one after the other.
    if (!first) return this.unserialised(writes, options);
    return this.creates.serialised(`writes of ${markerOf(first.idempotencyKey)}`, () => this.unserialised(writes, options));
  }

  private async unserialised(writes: readonly RecordWrite[], options: WriteOptions): Promise<CreateResult[]> {
    const results = new Map<number, CreateResult>();
    const ids = new Map<number, string>();
    const done = (index: number, result: CreateResult): void => {
      results.set(index, result);
      ids.set(index, result.id);
      options.onWritten?.(index, result);
    };
    if (!options.firstAttempt) await this.findCommitted(writes, ids, done);
    const pending = writes.map((_, i) => i).filter((i) => !results.has(i));
    if (pending.length > 1 && this.bundle && (await compositeGranted(this.http))) {
      const bundled = await this.bundled(writes, pending, ids);
      if (bundled) bundled.forEach((result, j) => done(pending[j], result));
    }
    // Separately: bundling is off or not granted, one write is left, or Zoho refused the bundle and it committed nothing.
    for (const index of writes.map((_, i) => i).filter((i) => !results.has(i))) {
      done(index, await this.separately(withIds(writes[index], ids), true));
    }
    return writes.map((_, i) => results.get(i)!);
  }

  /**
   * Creates an earlier attempt committed, found by their markers; their ids then stand in for the references. The
   * lookups go together (one composite request when granted); one that narrows by a write not yet found (a note's
   * parent) waits for the next round, and is left out when that write was never committed: neither was it then.
   */
  private async findCommitted(writes: readonly RecordWrite[], ids: Map<number, string>, done: (index: number, result: CreateResult) => void): Promise<void> {
    let waiting = writes.flatMap((w, i) => (w.kind === 'create' ? [i] : []));
    while (waiting.length > 0) {
      const checks = waiting.map((index) => {
        const write = withIds(writes[index], ids) as Extract<RecordWrite, { kind: 'create' }>;
        const marker = markerOf(write.idempotencyKey);
        return { index, module: write.module, marker, query: markerQuery(write.module, write.data, marker) };
      });
      const ready = checks.filter((c) => c.query !== undefined && !hasReference(c.query.where));
      if (ready.length === 0) return;
      const rows = await this.coql.selectAll(ready.map((c) => c.query!));
      ready.forEach((check, j) => {
        const existing = markedIdIn(check.module, rows[j], check.marker);
        if (existing) done(check.index, { id: existing, created: false });
      });
      waiting = checks.filter((c) => c.query !== undefined && hasReference(c.query.where)).map((c) => c.index);
    }
  }

  /** The pending writes as one transaction; undefined when Zoho refused one of them (nothing was committed). */
  private async bundled(writes: readonly RecordWrite[], pending: readonly number[], ids: ReadonlyMap<number, string>): Promise<CreateResult[] | undefined> {
    const subRequests = pending.map((index): SubRequest => {
      const write = withIds(writes[index], ids);
      return write.kind === 'create'
        ? { id: subRequestId(index), method: 'POST', path: `/${write.module}`, body: { data: [withMarker(write.module, write.data, markerOf(write.idempotencyKey))] } }
        : { id: subRequestId(index), method: 'PUT', path: `/${write.module}/${write.id}`, body: { data: [write.data] } };
    });
    const subject = `write ${pending.map((i) => writes[i].module).join(', ')} records in one request`;
    const answers = await sendComposite(this.http, subRequests, subject, 'transaction');
    const refusedAt = answers.findIndex((a) => !a.succeeded && a.status !== undefined && a.code !== 'ROLLBACK_PERFORMED');
    if (refusedAt >= 0) {
      const refused = answers[refusedAt];
      // A unique field names an existing record: the separate path reuses it. Any other refusal is the call's.
      if (refused.code === 'DUPLICATE_DATA') return undefined;
      // Named after the refused record, as the same write sent alone would be: the admin fixes that record.
      const refusedSubject = subjectOf(withIds(writes[pending[refusedAt]], ids));
      this.http.interpret({ status: refused.status!, body: refused.body }, refusedSubject);
      throw recordError(refused.body, refusedSubject);
    }
    if (!answers.every((a) => a.succeeded)) throw new ZohoTransientError(`${subject}: Zoho answered without a result for every record`);
    return answers.map((answer, j) => {
      const id = ((answer.body as { data?: { details?: { id?: unknown } }[] } | undefined)?.data?.[0]?.details?.id);
      if (typeof id !== 'string') throw recordError(answer.body, subject);
      return { id, created: writes[pending[j]].kind === 'create' };
    });
  }

  private async separately(write: RecordWrite, firstAttempt: boolean): Promise<CreateResult> {
    if (write.kind === 'create') return this.records.createRecord(write.module, write.data, { idempotencyKey: write.idempotencyKey, firstAttempt });
    await this.records.updateRecord(write.module, write.id, write.data);
    return { id: write.id, created: false };
  }
}
