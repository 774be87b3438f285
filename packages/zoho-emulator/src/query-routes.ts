import type { FastifyInstance } from 'fastify';
import { coqlCost, parseCoql, runCoql } from './coql';
import { moduleScope, registerCrmRoute, routeModule, type CrmContext, type CrmReply } from './crm-route';
import { ZohoApiError, requiredParamMissing } from './errors';
import { readFields } from './fields-param';
import { readPage, slice } from './paging';
import { convertedFilter } from './records-read';
import { renderRecord } from './render';
import { criteriaMatches, emailMatches, parseCriteria, phoneMatches, wordMatches } from './search';
import type { EmulatorState } from './state';
import type { StoredValues } from './store';

/** `GET /{module}/search` (served from the lagging search index) and `POST /coql` (served from the live store). */
const invalidSearchValue = (param: string): ZohoApiError => new ZohoApiError(400, 'INVALID_DATA', 'the value given seems to be invalid', { param_name: param });

function matcher(ctx: CrmContext): (values: StoredValues) => boolean {
  const module = routeModule(ctx);
  const { criteria, email, phone, word } = ctx.query;
  const phones = ctx.state.settings.phoneSearch;
  // Priority when several are given: criteria > email > phone > word.
  if (criteria !== undefined) {
    const parsed = parseCriteria(module, criteria);
    return (values) => criteriaMatches(parsed, values, phones);
  }
  if (email !== undefined) {
    if (email.length < 2) throw invalidSearchValue('email');
    return (values) => emailMatches(module, values, email);
  }
  if (phone !== undefined) {
    if (phone.length < 2) throw invalidSearchValue('phone');
    return (values) => phoneMatches(module, values, phone, phones);
  }
  if (word !== undefined) {
    if (word.trim().length < 2 || /[^\p{L}\p{N}\s@._\-+']/u.test(word)) throw invalidSearchValue('word');
    return (values) => wordMatches(module, values, word);
  }
  throw new ZohoApiError(400, 'EXPECTED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: ['criteria', 'email', 'phone', 'word'] });
}

function search(ctx: CrmContext): CrmReply {
  const module = routeModule(ctx);
  const { state, query } = ctx;
  const fields = readFields(module, query.fields, false);
  const matches = matcher(ctx);
  const visible = convertedFilter(module, query.converted);
  const { page, perPage } = readPage(query, 'LIMIT_REACHED');
  const found = state.store
    .all(module.apiName)
    .filter((record) => {
      const indexed = state.store.searchView(record);
      return indexed !== undefined && visible({ values: indexed }) && matches(indexed);
    })
    .sort((a, b) => (a.id < b.id ? 1 : -1));
  const { items, more } = slice(found, (page - 1) * perPage, perPage);
  if (items.length === 0) return { status: 204 };
  return { status: 200, body: { data: items.map((r) => renderRecord(state, r, fields)), info: { per_page: perPage, count: items.length, page, more_records: more } } };
}

function selectQuery(ctx: CrmContext): string {
  const body = ctx.body as { select_query?: unknown } | undefined;
  if (typeof body?.select_query !== 'string' || body.select_query.trim() === '') throw requiredParamMissing('select_query');
  return body.select_query;
}

function coql(ctx: CrmContext): CrmReply {
  const { rows, more } = runCoql(ctx.state, parseCoql(selectQuery(ctx)));
  if (rows.length === 0) return { status: 204 };
  return { status: 200, body: { data: rows, info: { count: rows.length, more_records: more } } };
}

/** The module a COQL query reads, for the scope check that precedes parsing. */
function coqlModuleScope(ctx: CrmContext): string[] {
  const body = ctx.body as { select_query?: unknown } | undefined;
  const from = typeof body?.select_query === 'string' ? /\bfrom\s+([A-Za-z_]\w*)/i.exec(body.select_query)?.[1] : undefined;
  return from ? [`ZohoCRM.modules.${from.toLowerCase()}.READ`] : [];
}

export function registerQueryRoutes(app: FastifyInstance, state: EmulatorState): void {
  registerCrmRoute(app, state, {
    method: 'GET',
    url: '/:module/search',
    scopes: (ctx) => [moduleScope(routeModule(ctx), 'READ'), 'ZohoSearch.securesearch.READ'],
    heavy: () => true,
    handle: search,
  });
  registerCrmRoute(app, state, {
    method: 'POST',
    url: '/coql',
    scopes: (ctx) => ['ZohoCRM.coql.READ', ...coqlModuleScope(ctx)],
    heavy: () => true,
    cost: (ctx) => {
      try {
        return coqlCost(parseCoql(selectQuery(ctx)).limit);
      } catch {
        return 1; // a query that does not parse still costs a call; the handler reports why
      }
    },
    handle: coql,
  });
}
