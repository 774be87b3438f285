import type { FastifyInstance } from 'fastify';
import { moduleScope, registerCrmRoute, routeModule, type CrmContext, type CrmReply } from './crm-route';
import { ZohoApiError, invalidParam } from './errors';
import { readFields } from './fields-param';
import { isModuleName, type ModuleDef } from './modules';
import { moduleDef } from './org';
import { MAX_PER_PAGE, readPage, slice } from './paging';
import { renderRecord } from './render';
import type { EmulatorState } from './state';
import type { StoredRecord } from './store';
import { formatZohoDateTime } from './zoho-time';

/** Reading records: list (with `page_token`), one record, related lists, count. */
const SORTABLE = ['id', 'Created_Time', 'Modified_Time'];
const PAGE_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
const PAGE_TOKEN_REACH = 100_000;

/** Converted leads are hidden unless `converted=true` (only them) or `both`; other modules have none. */
export function convertedFilter(module: ModuleDef, converted: string | undefined): (record: { values: Record<string, unknown> }) => boolean {
  if (converted !== undefined && !['true', 'false', 'both'].includes(converted)) throw invalidParam('converted');
  if (module.apiName !== 'Leads' || converted === 'both') return () => true;
  const wanted = converted === 'true';
  return (record) => (record.values.Converted__s === true) === wanted;
}

function sortRecords(records: StoredRecord[], sortBy: string, order: string): StoredRecord[] {
  const key = (r: StoredRecord): number | string => (sortBy === 'Created_Time' ? r.createdAt : sortBy === 'Modified_Time' ? r.modifiedAt : r.id);
  const direction = order === 'asc' ? 1 : -1;
  return [...records].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    if (ka !== kb) return ka < kb ? -direction : direction;
    return a.id < b.id ? -direction : direction;
  });
}

interface PageToken {
  bound: string;
  offset: number;
  expiresAt: number;
}

const encodeToken = (token: PageToken): string => Buffer.from(JSON.stringify(token)).toString('base64url');

function decodeToken(raw: string): PageToken {
  try {
    const token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as PageToken;
    if (typeof token.bound === 'string' && Number.isInteger(token.offset) && typeof token.expiresAt === 'number') return token;
  } catch {
    // falls through to the error below
  }
  throw invalidParam('page_token');
}

/** One page of `records` (already filtered and sorted) as Zoho's list answer: 204 when empty. */
function listPage(ctx: CrmContext, records: StoredRecord[], fields: string[], bound: string, extraInfo: Record<string, unknown>): CrmReply {
  const { state, query } = ctx;
  let offset: number;
  let page: number;
  let perPage: number;
  if (query.page_token !== undefined) {
    if (query.page !== undefined) throw new ZohoApiError(400, 'AMBIGUITY_DURING_PROCESSING', 'page and page_token cannot be given together', { param_name: 'page' });
    const token = decodeToken(query.page_token);
    if (token.expiresAt <= state.clock.now()) throw new ZohoApiError(400, 'EXPIRED_VALUE', 'the page_token given has expired', { param_name: 'page_token' });
    if (token.bound !== bound) throw new ZohoApiError(400, 'TOKEN_BOUND_DATA_MISMATCH', 'the parameters differ from those the page_token was issued for', { param_name: 'page_token' });
    perPage = Math.min(Number(query.per_page ?? MAX_PER_PAGE), MAX_PER_PAGE);
    offset = token.offset;
    page = Math.floor(offset / perPage) + 1;
    if (offset + perPage > PAGE_TOKEN_REACH) throw new ZohoApiError(400, 'PAGINATION_LIMIT_EXCEEDED', `you can fetch only ${PAGE_TOKEN_REACH} records`, { limit: PAGE_TOKEN_REACH });
  } else {
    ({ page, perPage } = readPage(query, 'DISCRETE_PAGINATION_LIMIT_EXCEEDED'));
    offset = (page - 1) * perPage;
  }
  const { items, more } = slice(records, offset, perPage);
  if (items.length === 0) return { status: 204 };
  const expiresAt = state.clock.now() + PAGE_TOKEN_TTL_MS;
  const nextToken = more ? encodeToken({ bound, offset: offset + perPage, expiresAt }) : null;
  return {
    status: 200,
    body: {
      data: items.map((r) => renderRecord(state, r, fields)),
      info: {
        per_page: perPage,
        count: items.length,
        page,
        ...extraInfo,
        more_records: more,
        next_page_token: nextToken,
        previous_page_token: null,
        page_token_expiry: nextToken ? formatZohoDateTime(expiresAt, state.org.timeZone) : null,
      },
    },
  };
}

function list(ctx: CrmContext): CrmReply {
  const module = routeModule(ctx);
  const { query, state } = ctx;
  const fields = readFields(module, query.fields, true) as string[];
  const sortBy = query.sort_by ?? 'id';
  const sortOrder = query.sort_order ?? 'desc';
  if (!SORTABLE.includes(sortBy)) throw invalidParam('sort_by');
  if (sortOrder !== 'asc' && sortOrder !== 'desc') throw invalidParam('sort_order');
  let records = state.store.all(module.apiName).filter(convertedFilter(module, query.converted));
  if (query.ids !== undefined) {
    const ids = new Set(query.ids.split(','));
    if (ids.size > 100) throw new ZohoApiError(400, 'LIMIT_EXCEEDED', 'ids exceeds the limit of 100', { param_name: 'ids', limit: 100 });
    records = records.filter((r) => ids.has(r.id));
  }
  const bound = JSON.stringify([module.apiName, fields, sortBy, sortOrder, query.converted ?? null, query.ids ?? null, ctx.token.userId]);
  return listPage(ctx, sortRecords(records, sortBy, sortOrder), fields, bound, { sort_by: sortBy, sort_order: sortOrder });
}

function getOne(ctx: CrmContext): CrmReply {
  const module = routeModule(ctx);
  const record = ctx.state.store.get(module.apiName, ctx.params.id);
  if (!record) return { status: 204 };
  return { status: 200, body: { data: [renderRecord(ctx.state, record, readFields(module, ctx.query.fields, false))] } };
}

/** Records of `related` that point at the parent through one of their lookups (e.g. Deals.Contact_Name → Contacts). */
function related(ctx: CrmContext): CrmReply {
  const parentModule = routeModule(ctx);
  const relatedName = ctx.params.related;
  if (!isModuleName(relatedName)) throw new ZohoApiError(400, 'INVALID_DATA', 'the related list given seems to be invalid', { param_name: 'related_list_api_name' });
  const relatedModule = moduleDef(ctx.state.org, relatedName);
  const links = relatedModule.fields.filter((f) => f.type === 'lookup' && f.lookup?.includes(parentModule.apiName));
  if (links.length === 0) throw new ZohoApiError(400, 'INVALID_DATA', 'the related list given seems to be invalid', { param_name: 'related_list_api_name' });
  const parent = ctx.state.store.get(parentModule.apiName, ctx.params.id);
  if (!parent) throw new ZohoApiError(400, 'INVALID_DATA', 'the id given seems to be invalid', { id: ctx.params.id });
  const fields = readFields(relatedModule, ctx.query.fields, true) as string[];
  const records = ctx.state.store
    .all(relatedModule.apiName)
    .filter((r) => links.some((f) => r.values[f.apiName] === parent.id && (f.lookup!.length === 1 || r.values.$se_module === parentModule.apiName)));
  const bound = JSON.stringify([parentModule.apiName, parent.id, relatedName, fields, ctx.token.userId]);
  return listPage(ctx, sortRecords(records, 'id', 'desc'), fields, bound, {});
}

function count(ctx: CrmContext): CrmReply {
  const module = routeModule(ctx);
  return { status: 200, body: { count: ctx.state.store.all(module.apiName).filter(convertedFilter(module, ctx.query.converted)).length } };
}

export function registerRecordReadRoutes(app: FastifyInstance, state: EmulatorState): void {
  const read = (ctx: CrmContext): string[] => [moduleScope(routeModule(ctx), 'READ')];
  registerCrmRoute(app, state, { method: 'GET', url: '/:module', scopes: read, heavy: (ctx) => ctx.query.sort_by !== undefined, handle: list });
  registerCrmRoute(app, state, { method: 'GET', url: '/:module/actions/count', scopes: read, handle: count });
  registerCrmRoute(app, state, { method: 'GET', url: '/:module/:id', scopes: read, handle: getOne });
  registerCrmRoute(app, state, {
    method: 'GET',
    url: '/:module/:id/:related',
    scopes: (ctx) => (isModuleName(ctx.params.related) ? [...read(ctx), `ZohoCRM.modules.${ctx.params.related.toLowerCase()}.READ`] : read(ctx)),
    handle: related,
  });
}
