import { ZohoApiError, invalidParam } from './errors';

/**
 * Page-based pagination shared by list, related-list and search: `page`/`per_page` (≤200) reach the first 2000
 * records; lists continue beyond with `page_token` (fact sheet §2.3).
 */
export const MAX_PER_PAGE = 200;
const DISCRETE_LIMIT = 2000;

export interface PageRequest {
  page: number;
  perPage: number;
}

function positiveInt(query: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = query[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw invalidParam(name);
  return value;
}

/** Reads `page`/`per_page`; `overLimitCode` is what reaching past the 2000th record is called on this endpoint. */
export function readPage(query: Record<string, string | undefined>, overLimitCode: string): PageRequest {
  const page = positiveInt(query, 'page', 1);
  const perPage = positiveInt(query, 'per_page', MAX_PER_PAGE);
  if (perPage > MAX_PER_PAGE) throw invalidParam('per_page');
  if (page * perPage > DISCRETE_LIMIT) {
    throw new ZohoApiError(400, overLimitCode, `you can fetch only ${DISCRETE_LIMIT} records with page and per_page`, { limit: DISCRETE_LIMIT });
  }
  return { page, perPage };
}

export function slice<T>(items: readonly T[], offset: number, perPage: number): { items: T[]; more: boolean } {
  return { items: items.slice(offset, offset + perPage), more: items.length > offset + perPage };
}
