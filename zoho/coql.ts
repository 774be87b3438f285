/**
 * COQL, the query API used wherever a just-written record must be found at once: unlike Search, which lags
 * behind writes while Zoho indexes them, COQL reads the records themselves.
 */
import type { ZohoHttp } from './http';

/** Zoho returns at most this many rows per COQL call at the 1-credit price. */
export const COQL_PAGE = 200;
/** `in (…)` takes at most 50 values. */
export const COQL_MAX_IN_VALUES = 50;

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

/** The first COQL_PAGE rows matching `where`, optionally ordered (`Created_Time desc`). 204 means none. */
export async function selectRows(
  http: ZohoHttp,
  module: string,
  columns: readonly string[],
  where: string,
  orderBy?: string,
): Promise<Record<string, unknown>[]> {
  const order = orderBy ? ` order by ${orderBy}` : '';
  const response = await http.request({
    method: 'POST',
    path: '/coql',
    body: { select_query: `select ${columns.join(', ')} from ${module} where ${where}${order} limit ${COQL_PAGE}` },
    weight: 'heavy',
    subject: `COQL query on ${module}`,
  });
  const rows = (response.body as { data?: Record<string, unknown>[] } | undefined)?.data;
  return rows ?? [];
}
