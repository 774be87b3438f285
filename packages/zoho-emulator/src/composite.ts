import type { FastifyInstance } from 'fastify';
import { firstValues, injectedFault, paramModule, registerCrmRoute, scopeMismatch, type CrmContext, type CrmReply, type CrmRoute } from './crm-route';
import { API_PREFIX } from './dc';
import { ZohoApiError, invalidUrlPattern } from './errors';
import { hasScopes } from './scopes';
import type { EmulatorState } from './state';

/**
 * Zoho's Composite API, `POST /crm/v8/__composite_requests`: one to five sub-requests run through the same route
 * handlers as separate calls, in one HTTP request, one credit (two with rollback when all succeed) and five
 * concurrency units plus one sub-concurrency unit (heavy sub-requests take their own sub-concurrency slot besides).
 * The APIs allowed inside and their record limits follow Zoho's "Allowed APIs" table. Every behaviour and its source is listed in the README
 * ("Composite API"); where Zoho's pages are silent this follows the stricter reading.
 */
export const COMPOSITE_SCOPE = 'ZohoCRM.composite_requests.CUSTOM';
const MAX_SUB_REQUESTS = 5;
const SUB_REQUEST_ID = /^[a-zA-Z0-9][a-zA-Z0-9_]*$/;
// The documented accepted pattern; the emulator speaks v8 only, so other versions then answer INVALID_URL_PATTERN.
const SUB_REQUEST_URI = /^\/crm(\/.*)?\/v[0-9]+([.][0-9]+)?\/.*/;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const FORBIDDEN_HEADERS = ['authorization', 'x-crm-org'];
/**
 * Calls a sub-request may not make, being absent from Zoho's "Allowed APIs" table (README "Composite API"): a
 * nested composite, creating a custom field, and a bulk delete (`DELETE /{module}?ids=`; deletes name one id).
 */
const NOT_IN_COMPOSITE = [
  { method: 'POST', url: '/__composite_requests' },
  { method: 'POST', url: '/settings/fields' },
  { method: 'DELETE', url: '/:module' },
];
/** Records per sub-request, from the same table: a read (list, search, related, COQL, users) 25, a write 1. */
const READ_RECORD_LIMIT = 25;
const WRITE_RECORD_LIMIT = 1;
const REFERENCE = /@\{([a-zA-Z0-9][a-zA-Z0-9_]*):(\$[^}]*)\}/g;
const WHOLE_REFERENCE = /^@\{([a-zA-Z0-9][a-zA-Z0-9_]*):(\$[^}]*)\}$/;

interface SubRequest {
  sub_request_id: string;
  uri: string;
  method: (typeof METHODS)[number];
  params: Record<string, unknown>;
  body: unknown;
  headers: Record<string, string>;
}

interface SubOutcome {
  id: string;
  /** undefined: not executed. */
  reply?: CrmReply;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalid = (jsonPath: string, message = 'invalid data'): ZohoApiError => new ZohoApiError(400, 'INVALID_DATA', message, { json_path: jsonPath });

function readSubRequest(raw: unknown, index: number): SubRequest {
  const at = `$.__composite_requests[${index}]`;
  if (!isObject(raw)) throw invalid(at);
  const id = raw.sub_request_id ?? String(index + 1);
  if (typeof id !== 'string' || !SUB_REQUEST_ID.test(id)) throw invalid(`${at}.sub_request_id`);
  if (typeof raw.uri !== 'string' || !SUB_REQUEST_URI.test(raw.uri)) throw invalid(`${at}.uri`);
  const method = typeof raw.method === 'string' ? raw.method.toUpperCase() : '';
  if (!(METHODS as readonly string[]).includes(method)) throw invalid(`${at}.method`);
  for (const key of ['params', 'headers'] as const) if (raw[key] !== undefined && !isObject(raw[key])) throw invalid(`${at}.${key}`);
  const headers = (raw.headers ?? {}) as Record<string, string>;
  if (Object.keys(headers).some((h) => FORBIDDEN_HEADERS.includes(h.toLowerCase()))) throw invalid(`${at}.headers`, 'the headers authorization and x-crm-org cannot be given in a sub-request');
  return { sub_request_id: id, uri: raw.uri, method: method as SubRequest['method'], params: (raw.params ?? {}) as Record<string, unknown>, body: raw.body, headers };
}

function readRequest(body: unknown): { subs: SubRequest[]; rollback: boolean } {
  if (!isObject(body) || !Array.isArray(body.__composite_requests) || body.__composite_requests.length === 0) {
    throw new ZohoApiError(400, 'MANDATORY_NOT_FOUND', 'required field not found', { api_name: '__composite_requests', json_path: '$.__composite_requests' });
  }
  if (body.__composite_requests.length > MAX_SUB_REQUESTS) {
    throw new ZohoApiError(400, 'LIMIT_EXCEEDED', 'the number of sub-requests exceeds the limit', { limit: MAX_SUB_REQUESTS, api_name: '__composite_requests' });
  }
  for (const key of ['rollback_on_fail', 'parallel_execution'] as const) if (body[key] !== undefined && typeof body[key] !== 'boolean') throw invalid(`$.${key}`);
  const rollback = body.rollback_on_fail === true;
  if (rollback && body.parallel_execution === true) {
    throw new ZohoApiError(400, 'AMBIGUITY_DURING_PROCESSING', 'rollback_on_fail and parallel_execution cannot both be true');
  }
  const subs = body.__composite_requests.map(readSubRequest);
  const ids = subs.map((s) => s.sub_request_id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new ZohoApiError(400, 'DUPLICATE_DATA', 'duplicate sub_request_id', { api_name: 'sub_request_id', value: duplicate });
  return { subs, rollback };
}

/** `$`, `.name` and `[n]` steps: the JSONPath the documented references use (`$.data[0].details.id`). */
function evaluatePath(root: unknown, path: string): unknown {
  const steps = path.slice(1).match(/\.[A-Za-z_$][\w$]*|\[\d+\]/g) ?? [];
  if (steps.join('') !== path.slice(1)) return undefined;
  let value = root;
  for (const step of steps) {
    if (value === null || typeof value !== 'object') return undefined;
    value = step.startsWith('[') ? (value as unknown[])[Number(step.slice(1, -1))] : (value as Record<string, unknown>)[step.slice(1)];
  }
  return value;
}

class UnresolvedReference extends Error {
  constructor(readonly subRequestId: string, reference: string) {
    super(reference);
  }
}

/** Replaces `@{id:$.path}` with the referenced value: a whole-string reference keeps the value's type. */
function resolve(value: unknown, done: Map<string, CrmReply>): unknown {
  if (typeof value === 'string') {
    const lookup = (id: string, path: string): unknown => {
      const reply = done.get(id);
      const found = reply ? evaluatePath(reply.body, path) : undefined;
      if (found === undefined || found === null) throw new UnresolvedReference(id, `@{${id}:${path}}`);
      return found;
    };
    const whole = WHOLE_REFERENCE.exec(value);
    if (whole) return lookup(whole[1], whole[2]);
    return value.replace(REFERENCE, (_, id: string, path: string) => String(lookup(id, path)));
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, done));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, done)]));
  return value;
}

/** The route a sub-request's path names, preferring static segments over parameters as the HTTP router does. */
function findRoute(state: EmulatorState, method: string, path: string): { route: CrmRoute; params: Record<string, string> } | undefined {
  const segments = path.split('/').filter(Boolean);
  let best: { route: CrmRoute; params: Record<string, string>; statics: number } | undefined;
  for (const route of state.routes) {
    if (route.method !== method) continue;
    const template = route.url.split('/').filter(Boolean);
    if (template.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let statics = 0;
    const fits = template.every((t, i) => {
      if (t.startsWith(':')) return (params[t.slice(1)] = decodeURIComponent(segments[i])), true;
      statics += 1;
      return t === segments[i];
    });
    if (fits && (!best || statics > best.statics)) best = { route, params, statics };
  }
  return best;
}

const errorReply = (error: ZohoApiError): CrmReply => ({ status: error.httpStatus, body: error.body });

const limitExceeded = (limit: number): ZohoApiError => new ZohoApiError(400, 'LIMIT_EXCEEDED', 'the sub-request exceeds the number of records allowed in a composite request', { limit });

/** A read that lists records: its `data[]` is capped at READ_RECORD_LIMIT. */
const isRecordRead = (method: string, url: string): boolean => method === 'GET' || url === '/coql';

/** The number of records the sub-request asks for explicitly (COQL `limit n` / `limit m, n`, `per_page`), if it does. */
function askedRecords(url: string, query: Record<string, string | undefined>, body: unknown): number | undefined {
  if (url === '/coql') {
    const select = isObject(body) && typeof body.select_query === 'string' ? body.select_query : '';
    const limit = /\blimit\s+(\d+)(?:\s*,\s*(\d+))?/i.exec(select);
    return limit ? Number(limit[2] ?? limit[1]) : undefined;
  }
  return query.per_page === undefined ? undefined : Number(query.per_page);
}

/** Refuses what the sub-request asks beyond the records allowed in a composite. */
function checkRecordLimit(route: CrmRoute, query: Record<string, string | undefined>, body: unknown): void {
  if (isRecordRead(route.method, route.url)) {
    const asked = askedRecords(route.url, query, body);
    if (asked !== undefined && asked > READ_RECORD_LIMIT) throw limitExceeded(READ_RECORD_LIMIT);
  } else if (route.write && isObject(body) && Array.isArray(body.data) && body.data.length > WRITE_RECORD_LIMIT) {
    throw limitExceeded(WRITE_RECORD_LIMIT);
  }
}

/** A read's answer cut to READ_RECORD_LIMIT records, saying there are more (Zoho's sample answers `per_page: 25`). */
function capped(reply: CrmReply): CrmReply {
  const body = reply.body;
  if (!isObject(body) || !Array.isArray(body.data) || body.data.length <= READ_RECORD_LIMIT) return reply;
  const info = isObject(body.info) ? body.info : {};
  const data = body.data.slice(0, READ_RECORD_LIMIT);
  const paged = 'per_page' in info ? { per_page: READ_RECORD_LIMIT } : {};
  return { ...reply, body: { ...body, data, info: { ...info, ...paged, count: data.length, more_records: true } } };
}

/** A sub-request succeeded when it answered 2xx and, for a batch write, every record in it succeeded. */
function succeeded(reply: CrmReply): boolean {
  if (reply.status < 200 || reply.status >= 300 || reply.status === 207) return false;
  const data = isObject(reply.body) ? reply.body.data : undefined;
  return !Array.isArray(data) || data.every((r) => !isObject(r) || r.status !== 'error');
}

/** The sub-request's answer, or undefined when it references a sub-request that failed (it is then not executed). */
async function runSub(outer: CrmContext, sub: SubRequest, done: Map<string, CrmReply>, failedIds: Set<string>): Promise<CrmReply | undefined> {
  let uri: string;
  let query: Record<string, string | undefined>;
  let body: unknown;
  try {
    uri = resolve(sub.uri, done) as string;
    query = firstValues(resolve(sub.params, done));
    body = resolve(sub.body, done);
  } catch (error) {
    if (!(error instanceof UnresolvedReference)) throw error;
    if (failedIds.has(error.subRequestId)) return undefined;
    return errorReply(new ZohoApiError(400, 'INVALID_REFERENCE', 'the reference could not be resolved', { reference: error.message }));
  }
  const [path, search] = uri.split('?', 2);
  for (const [k, v] of new URLSearchParams(search ?? '')) query[k] ??= v;
  try {
    if (!path.startsWith('/crm/v8/')) throw invalidUrlPattern();
    const routePath = path.slice('/crm/v8'.length);
    // PATCH is accepted by the composite API; the emulated record APIs take updates as PUT.
    const found = findRoute(outer.state, sub.method === 'PATCH' ? 'PUT' : sub.method, routePath);
    if (!found) throw invalidUrlPattern();
    if (NOT_IN_COMPOSITE.some((call) => call.method === found.route.method && call.url === found.route.url)) {
      throw new ZohoApiError(400, 'NOT_SUPPORTED', 'this API is not supported in a composite request', { uri: path });
    }
    checkRecordLimit(found.route, query, body);
    const ctx: CrmContext = { ...outer, module: paramModule(outer.state, found.params), params: found.params, query, body, headers: { ...sub.headers } };
    if (!hasScopes(ctx.token.scopes, found.route.scopes(ctx))) throw scopeMismatch();
    // Injected faults meet a sub-request as they would the same call sent on its own.
    const target = { method: sub.method, path: `/zohoapis/${outer.params.dc}${path}`, module: found.params.module };
    const fault = outer.state.faults.takeError(target);
    if (fault) {
      const injected = injectedFault(fault);
      return injected.html ? errorReply(new ZohoApiError(fault.status, 'INTERNAL_ERROR', 'Internal Server Error')) : { status: injected.status, body: injected.body };
    }
    // A heavy sub-request (COQL, search) holds a sub-concurrency slot of its own while it runs.
    const slot = found.route.heavy?.(ctx) ? outer.state.limits.acquire(outer.token.clientId, true, 0) : undefined;
    if (slot === 'concurrency' || slot === 'sub-concurrency') return errorReply(new ZohoApiError(429, 'TOO_MANY_REQUESTS', 'You have exceeded the sub-concurrency limit for this API. Please try again after some time.'));
    let handled: CrmReply;
    try {
      handled = await found.route.handle(ctx);
    } finally {
      slot?.();
    }
    const reply = isRecordRead(found.route.method, found.route.url) ? capped(handled) : handled;
    const timeout = found.route.write ? outer.state.faults.takeTimeoutAfterCommit(target) : undefined;
    return timeout ? { ...reply, dropAfterCommit: timeout } : reply;
  } catch (error) {
    if (!(error instanceof ZohoApiError)) throw error;
    return errorReply(error);
  }
}

function render(sub: SubRequest, outcome: SubOutcome, rolledBack: boolean): Record<string, unknown> {
  const { reply } = outcome;
  const base = { sub_request_id: sub.sub_request_id };
  if (!reply && rolledBack) return { ...base, code: 'PROCESSING_STOPPED', status: 'error', message: 'the sub-request was not executed: the transaction was rolled back', details: {} };
  if (!reply) return { ...base, code: 'INVALID_REFERENCE', status: 'error', message: 'the sub-request referred to in the reference has failed', details: {} };
  const response = { status_code: reply.status, body: reply.body ?? null, headers: {} };
  if (rolledBack && succeeded(reply)) return { ...base, code: 'ROLLBACK_PERFORMED', status: 'error', message: 'the sub-request was rolled back', details: { response } };
  if (succeeded(reply)) return { ...base, code: 'SUCCESS', status: 'success', message: 'success', details: { response } };
  return { ...base, code: failureCode(reply.body), status: 'error', message: 'the sub-request failed', details: { response } };
}

/** The error code of a failed sub-request: the body's own, or that of the first failed record of a batch write. */
function failureCode(body: unknown): string {
  if (!isObject(body)) return 'FAILURE';
  if (typeof body.code === 'string') return body.code;
  const failed = Array.isArray(body.data) ? body.data.find((r) => isObject(r) && r.status === 'error') : undefined;
  return isObject(failed) && typeof failed.code === 'string' ? failed.code : 'FAILURE';
}

async function composite(ctx: CrmContext): Promise<CrmReply> {
  const { subs, rollback } = readRequest(ctx.body);
  const checkpoint = rollback ? ctx.state.store.checkpoint() : undefined;
  const done = new Map<string, CrmReply>();
  const outcomes: SubOutcome[] = [];
  const failedIds = new Set<string>();
  let failed = false;
  for (const sub of subs) {
    // With rollback the sub-requests run in sequence and the first failure ends the transaction.
    if (failed && rollback) {
      outcomes.push({ id: sub.sub_request_id });
      continue;
    }
    const reply = await runSub(ctx, sub, done, failedIds);
    outcomes.push({ id: sub.sub_request_id, reply });
    if (reply && succeeded(reply)) done.set(sub.sub_request_id, reply);
    else {
      failed = true;
      failedIds.add(sub.sub_request_id);
    }
  }
  const rolledBack = failed && checkpoint !== undefined;
  // A fault on the composite call itself meets only a composite that writes: reads alone commit nothing.
  const writes = subs.some((sub) => sub.method !== 'GET' && !/\/coql$/.test(sub.uri.split('?')[0]));
  const ownTimeout = writes ? ctx.state.faults.takeTimeoutAfterCommit({ method: 'POST', path: `${API_PREFIX}/${ctx.params.dc}/crm/v8/__composite_requests` }) : undefined;
  const dropAfterCommit = (rolledBack ? undefined : outcomes.find((o) => o.reply?.dropAfterCommit)?.reply?.dropAfterCommit) ?? ownTimeout;
  if (rolledBack) ctx.state.store.rollBack(checkpoint);
  // Zoho charges 2 credits for a rollback-enabled composite that fully succeeds; the gate already charged 1.
  if (rollback && !failed) ctx.state.limits.charge(1);
  // With rollback: 400 when it rolled back, else 200. Without: 200 when every sub-request ran (failed or not), 207
  // when some did, 400 when none did.
  const ran = outcomes.filter((o) => o.reply !== undefined).length;
  const status = rolledBack || ran === 0 ? 400 : ran < subs.length ? 207 : 200;
  return { status, body: { __composite_requests: subs.map((sub, i) => render(sub, outcomes[i], rolledBack)) }, ...(dropAfterCommit ? { dropAfterCommit } : {}) };
}

export function registerCompositeRoute(app: FastifyInstance, state: EmulatorState): void {
  registerCrmRoute(app, state, {
    method: 'POST',
    url: '/__composite_requests',
    // Each sub-request's own scope is checked when it runs, and a missing one fails that sub-request alone.
    scopes: () => [COMPOSITE_SCOPE],
    concurrencyUnits: 5,
    heavy: () => true,
    // Not a `write` for the gate: the handler itself decides whether a timeout-after-commit fault applies.
    handle: composite,
  });
}
