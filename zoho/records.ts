/**
 * Creating, updating and reading single records. Zoho answers writes with one result per record inside `data`
 * (201 all good, 207 mixed, 400 all failed); the client writes one record per call, so it reads `data[0]`.
 */
import { ZohoValidationError } from './errors';
import type { CoqlReader } from './coql';
import { refusalOf, zohoErrorOf, type ZohoHttp } from './http';
import { findMarked, markerOf, withMarker, type CreateQueue } from './idempotency';
import type { ZohoModule } from './types';

export interface CreateResult {
  id: string;
  /** False when the record already existed: created by an earlier attempt with the same key, or named by DUPLICATE_DATA. */
  created: boolean;
}

interface RecordResult {
  code?: string;
  status?: string;
  message?: string;
  details?: Record<string, unknown>;
}

function firstResult(body: unknown): RecordResult {
  return ((body as { data?: RecordResult[] } | undefined)?.data ?? [])[0] ?? {};
}

/** What a write is about, as its errors name it: `create Leads record`, `update Tasks record 123`. */
export const writeSubject = (module: ZohoModule, id?: string): string => (id === undefined ? `create ${module} record` : `update ${module} record ${id}`);

export interface CreateOptions {
  idempotencyKey: string;
  /**
   * True when no earlier attempt with this key can have run: the first attempt of a Temporal activity (a retry is
   * attempt 2 or later). Nothing can carry the marker yet, so the lookup before the create is skipped; it costs a
   * Zoho round trip on the path of every call otherwise. Records are still marked, so retries find them.
   */
  firstAttempt?: boolean;
}

export class Records {
  constructor(
    private readonly http: ZohoHttp,
    private readonly coql: CoqlReader,
    private readonly creates: CreateQueue,
  ) {}

  createRecord(module: ZohoModule, data: Record<string, unknown>, options: CreateOptions): Promise<CreateResult> {
    const marker = markerOf(options.idempotencyKey);
    return this.creates.serialised(marker, async () => {
      const existing = options.firstAttempt ? undefined : await findMarked(this.coql, module, data, marker);
      if (existing) return { id: existing, created: false };
      return this.insert(module, withMarker(module, data, marker));
    });
  }

  async updateRecord(module: ZohoModule, id: string, data: Record<string, unknown>): Promise<void> {
    const subject = writeSubject(module, id);
    const { body } = await this.http.request({ method: 'PUT', path: `/${module}/${id}`, body: { data: [data] }, subject });
    const result = firstResult(body);
    if (result.status !== 'success') throw rejection(result, subject);
  }

  /** The record, or null when Zoho has none with this id. */
  async getRecord(module: ZohoModule, id: string): Promise<Record<string, unknown> | null> {
    const { body } = await this.http.request({ method: 'GET', path: `/${module}/${id}`, subject: `read ${module} record ${id}` });
    return (body as { data?: Record<string, unknown>[] } | undefined)?.data?.[0] ?? null;
  }

  private async insert(module: ZohoModule, data: Record<string, unknown>): Promise<CreateResult> {
    const subject = writeSubject(module);
    let result: RecordResult;
    try {
      result = firstResult((await this.http.request({ method: 'POST', path: `/${module}`, body: { data: [data] }, subject })).body);
    } catch (err) {
      // A unique field ("do not allow duplicates") already holds this value: use the record Zoho names.
      const duplicate = err instanceof ZohoValidationError && err.code === 'DUPLICATE_DATA' ? duplicateId(err.details) : undefined;
      if (duplicate) return { id: duplicate, created: false };
      throw err;
    }
    const id = result.details?.id;
    if (result.status !== 'success' || typeof id !== 'string') throw rejection(result, subject);
    return { id, created: true };
  }
}

function duplicateId(details: Record<string, unknown>): string | undefined {
  const id = (details.duplicate_record as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

/** A per-record error inside a 2xx answer (207, or a 200 whose one result failed). */
function rejection(result: RecordResult, subject: string): ZohoValidationError {
  return refusalOf(zohoErrorOf({ data: [result] }) ?? { code: 'UNEXPECTED_RESPONSE', message: 'Zoho answered without a result for the record', details: {} }, subject);
}
