import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { API_PREFIX, isDataCentre } from './dc';
import { invalidModule, invalidUrlPattern, ZohoApiError } from './errors';
import type { ErrorFault, TimeoutAfterCommitFault } from './faults';
import { isModuleName, type ModuleDef } from './modules';
import type { AccessToken } from './oauth';
import { moduleDef } from './org';
import { hasScopes } from './scopes';
import type { EmulatorState } from './state';

/**
 * The gate every CRM API route goes through, in the order Zoho applies it: token, module, scope, concurrency,
 * (latency, hold), injected faults, credits, then the handler. A request holds its concurrency slot until its
 * response is sent or its connection closes, latency and hold included.
 */
export interface CrmContext {
  state: EmulatorState;
  token: AccessToken;
  /** The module named by the `:module` path parameter, when the route has one. */
  module: ModuleDef | undefined;
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  body: unknown;
  headers: FastifyRequest['headers'];
}

export interface CrmReply {
  status: number;
  body?: unknown;
  /** Commit, then drop the connection without answering (a composite whose sub-request met this fault). */
  dropAfterCommit?: TimeoutAfterCommitFault;
}

export interface CrmRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path under `/crm/v8`. */
  url: string;
  /** Scopes the token must all cover. */
  scopes(ctx: CrmContext): string[];
  /** Counts against the sub-concurrency limit too (search, COQL, convert, writes of more than 10 records). */
  heavy?(ctx: CrmContext): boolean;
  /** Concurrency units the call holds while in flight; 1 by default. */
  concurrencyUnits?: number;
  /** API credits the call costs; 1 by default. */
  cost?(ctx: CrmContext): number;
  /** A write that commits: timeout-after-commit faults apply to it. */
  write?: boolean;
  handle(ctx: CrmContext): CrmReply | Promise<CrmReply>;
}

export const moduleScope = (module: ModuleDef, op: 'READ' | 'CREATE' | 'UPDATE' | 'DELETE'): string => `ZohoCRM.modules.${module.apiName.toLowerCase()}.${op}`;

/** The `:module` of the route, which handlers of module routes can rely on. */
export function routeModule(ctx: CrmContext): ModuleDef {
  if (!ctx.module) throw invalidModule();
  return ctx.module;
}

export const scopeMismatch = (): ZohoApiError => new ZohoApiError(401, 'OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL');

const tooManyRequests = (message: string): ZohoApiError => new ZohoApiError(429, 'TOO_MANY_REQUESTS', message);

export function firstValues(query: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    out[key] = Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
  }
  return out;
}

function authorize(state: EmulatorState, request: FastifyRequest): CrmContext {
  const params = request.params as Record<string, string>;
  if (!isDataCentre(params.dc)) throw invalidUrlPattern();
  const [scheme, token] = (request.headers.authorization ?? '').split(/\s+/, 2);
  if (scheme !== 'Zoho-oauthtoken' || !token) throw new ZohoApiError(401, 'AUTHENTICATION_FAILURE', 'Authentication failed');
  const access = state.oauth.authenticate(params.dc, token);
  if (!access) {
    const code = state.settings.invalidTokenCode;
    throw new ZohoApiError(401, code, code === 'INVALID_TOKEN' ? 'invalid oauth token' : 'Authentication failed');
  }
  return { state, token: access, module: paramModule(state, params), params, query: firstValues(request.query), body: request.body, headers: request.headers };
}

/** The module a `:module` path parameter names, if the route has one. */
export function paramModule(state: EmulatorState, params: Record<string, string>): ModuleDef | undefined {
  if (params.module === undefined) return undefined;
  if (!isModuleName(params.module)) throw invalidModule();
  return moduleDef(state.org, params.module);
}

export function injectedFault(fault: ErrorFault): { status: number; body: unknown; html: boolean } {
  if (fault.code) return { status: fault.status, body: new ZohoApiError(fault.status, fault.code, fault.message ?? fault.code.toLowerCase().replace(/_/g, ' ')).body, html: false };
  if (fault.status === 500) return { status: 500, body: new ZohoApiError(500, 'INTERNAL_ERROR', 'Internal Server Error').body, html: false };
  // Gateway errors come from Zoho's front proxies as HTML pages, not as API JSON.
  return { status: fault.status, body: `<html><head><title>${fault.status}</title></head><body><h1>${fault.status} Service Error</h1></body></html>`, html: true };
}

async function serve(state: EmulatorState, route: CrmRoute, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  let waited = false;
  const wait = async (): Promise<void> => {
    waited = true;
    if (state.settings.latencyMs > 0) await sleep(state.settings.latencyMs);
  };
  const params = request.params as Record<string, string>;
  const target = { method: request.method, path: request.url.split('?')[0], module: params.module };
  try {
    const ctx = authorize(state, request);
    if (!hasScopes(ctx.token.scopes, route.scopes(ctx))) throw scopeMismatch();
    const slot = state.limits.acquire(ctx.token.clientId, route.heavy?.(ctx) ?? false, route.concurrencyUnits);
    if (slot === 'concurrency') throw tooManyRequests('You have exceeded the concurrency limit for your organization. Please try again after some time.');
    if (slot === 'sub-concurrency') throw tooManyRequests('You have exceeded the sub-concurrency limit for this API. Please try again after some time.');
    reply.raw.once('close', slot);
    await wait();
    await state.faults.hold(target);

    const fault = state.faults.takeError(target);
    if (fault) {
      const injected = injectedFault(fault);
      await reply.code(injected.status).type(injected.html ? 'text/html' : 'application/json').send(injected.body);
      return;
    }
    const credits = state.limits.charge(route.cost?.(ctx) ?? 1);
    if (credits.reportRemaining) reply.header('X-API-CREDITS-REMAINING', String(credits.remaining));
    if (!credits.ok) throw tooManyRequests('You have reached the API credit limit of your organization for the day. Please try again after some time.');

    const answer = await route.handle(ctx);
    const timeout = answer.dropAfterCommit ?? (route.write ? state.faults.takeTimeoutAfterCommit(target) : undefined);
    if (timeout) {
      // The write is committed; the client never hears about it.
      reply.hijack();
      await sleep(timeout.delayMs ?? 0);
      request.raw.socket.destroy();
      return;
    }
    await reply.code(answer.status).send(answer.body);
  } catch (error) {
    if (!(error instanceof ZohoApiError)) throw error;
    if (!waited) await wait();
    await reply.code(error.httpStatus).send(error.body);
  }
}

export function registerCrmRoute(app: FastifyInstance, state: EmulatorState, route: CrmRoute): void {
  state.routes.push(route);
  app.route({ method: route.method, url: `${API_PREFIX}/:dc/crm/v8${route.url}`, handler: (request, reply) => serve(state, route, request, reply) });
}
