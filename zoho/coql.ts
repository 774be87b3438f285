/**
 * COQL, the query API used wherever a just-written record must be found at once: unlike Search, which lags
 * behind writes while Zoho indexes them, COQL reads the records themselves. Zoho's composite API admits COQL
 * (its "Allowed APIs" table), so several queries go as one composite request when the grant and the setting allow
 * it: one round trip and one credit instead of one each.
 */
import { compositeGranted, MAX_READ_RECORDS, MAX_SUB_REQUESTS, sendComposite, type SubRequest } from './composite';
import type { ZohoHttp } from './http';

/** Zoho returns at most this many rows per COQL call at the 1-credit price. */
export const COQL_PAGE = 200;
/** `in (…)` takes at most 50 values. */
export const COQL_MAX_IN_VALUES = 50;

export type Row = Record<string, unknown>;

export interface CoqlQuery {
  module: string;
  columns: readonly string[];
  where: string;
  /** e.g. `Created_Time desc`. */
  orderBy?: string;
  /**
   * Whether these first rows already answer the question though more match (a marker found among the newest);
   * otherwise a bundled query that Zoho cut at 25 rows is asked again on its own for its first COQL_PAGE.
   */
  answeredBy?(rows: readonly Row[]): boolean;
}

/** A COQL string literal: quotes and backslashes escaped with a backslash. */
export function literal(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** `field = 'v'` or `field in ('a', 'b')`. */
export function equalsAny(field: string, values: readonly string[]): string {
  return values.length === 1 ? `${field} = ${literal(values[0])}` : `${field} in (${values.map(literal).join(', ')})`;
}

/** Joins criteria with `or`/`and`, nested two at a time: COQL wants brackets as soon as there are more than two. */
export function combine(operator: 'or' | 'and', criteria: readonly string[]): string {
  if (criteria.length === 0) throw new Error('COQL needs at least one criterion');
  return criteria.reduceRight((rest, criterion) => `(${criterion} ${operator} ${rest})`);
}

function statement(query: CoqlQuery, limit: number): string {
  const order = query.orderBy ? ` order by ${query.orderBy}` : '';
  return `select ${query.columns.join(', ')} from ${query.module} where ${query.where}${order} limit ${limit}`;
}

interface CoqlAnswer {
  data?: Row[];
  info?: { more_records?: boolean };
}

/** Queries sent in the same request as others' (one round trip, one credit), and how their rows read. */
export interface AlongsideQuery<T> {
  queries: readonly CoqlQuery[];
  /** The rows of each of `queries`, in order. */
  read(rows: Row[][]): T;
}

export class CoqlReader {
  constructor(
    private readonly http: ZohoHttp,
    /** The setting (CALLMATRIX_ZOHO_COMPOSITE): bundle queries when the grant allows it. */
    private readonly bundle: boolean,
  ) {}

  /** The first COQL_PAGE rows matching the query, in one request. 204 means none. */
  async select(query: CoqlQuery): Promise<Row[]> {
    const response = await this.http.request({
      method: 'POST',
      path: '/coql',
      body: { select_query: statement(query, COQL_PAGE) },
      weight: 'heavy',
      subject: `COQL query on ${query.module}`,
    });
    return (response.body as CoqlAnswer | undefined)?.data ?? [];
  }

  /**
   * The rows of every query, in order, as `select` would give them: bundled five to a composite request when
   * granted, one request each otherwise.
   */
  async selectAll(queries: readonly CoqlQuery[]): Promise<Row[][]> {
    if (queries.length < 2 || !(await this.bundles())) return Promise.all(queries.map((q) => this.select(q)));
    const chunks: CoqlQuery[][] = [];
    for (let i = 0; i < queries.length; i += MAX_SUB_REQUESTS) chunks.push(queries.slice(i, i + MAX_SUB_REQUESTS));
    return (await Promise.all(chunks.map((chunk) => this.bundled(chunk)))).flat();
  }

  /** Whether queries sent together go as composite requests (the setting, and the activation's grant). */
  async bundles(): Promise<boolean> {
    return this.bundle && (await compositeGranted(this.http));
  }

  private async bundled(queries: readonly CoqlQuery[]): Promise<Row[][]> {
    const subject = `COQL queries on ${queries.map((q) => q.module).join(', ')} in one request`;
    const subRequests = queries.map((query, i): SubRequest => ({ id: `q${i}`, method: 'POST', path: '/coql', body: { select_query: statement(query, MAX_READ_RECORDS) }, heavy: true }));
    const answers = await sendComposite(this.http, subRequests, subject, 'independent');
    return Promise.all(
      answers.map(async (answer, i) => {
        const query = queries[i];
        // Not run, or no sub-concurrency slot free inside Zoho: the query alone, with the client's 429 backoff.
        if (answer.status === undefined || answer.status === 429) return this.select(query);
        this.http.interpret({ status: answer.status, body: answer.body }, subject);
        const { data = [], info } = (answer.body ?? {}) as CoqlAnswer;
        return info?.more_records === true && !query.answeredBy?.(data) ? this.select(query) : data;
      }),
    );
  }
}
