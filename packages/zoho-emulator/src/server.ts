import formBody from '@fastify/formbody';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { performance } from 'node:perf_hooks';
import { registerAccountsRoutes } from './accounts-routes';
import { registerCompositeRoute } from './composite';
import { registerConvertRoute } from './convert';
import { ACCOUNTS_PREFIX, API_PREFIX } from './dc';
import { invalidUrlPattern, ZohoApiError } from './errors';
import { INSPECTION_PREFIX, registerInspectionRoutes } from './inspection-routes';
import { registerMetadataRoutes } from './metadata-routes';
import { registerQueryRoutes } from './query-routes';
import { registerRecordReadRoutes } from './records-read';
import { registerRecordWriteRoutes } from './records-write';
import type { EmulatorState } from './state';

/** Builds the one Fastify app that serves every DC's accounts server and API domain, and the inspection API. */

/** `PUT /zohoapis/:dc/crm/v8/:module/:id` → `PUT /crm/v8/Leads/{id}`; token calls also name their grant type. */
function endpointOf(request: FastifyRequest): string {
  const template = request.routeOptions.url;
  if (!template) return `${request.method} (no route)`;
  const params = request.params as Record<string, string>;
  const path = template
    .replace(`${API_PREFIX}/:dc`, '')
    .replace(`${ACCOUNTS_PREFIX}/:dc`, '')
    .replace(':module', params.module ?? ':module')
    .replace(/:(\w+)/g, '{$1}');
  const grantType = path === '/oauth/v2/token' ? (request.body as { grant_type?: string } | undefined)?.grant_type ?? (request.query as { grant_type?: string }).grant_type : undefined;
  return `${request.method} ${path}${grantType ? ` (${grantType})` : ''}`;
}

function logRequests(app: FastifyInstance, state: EmulatorState): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith(INSPECTION_PREFIX)) return;
    const started = performance.now();
    const time = new Date(state.clock.now()).toISOString();
    reply.raw.once('close', () => {
      state.log.record({
        time,
        method: request.method,
        path: request.url.split('?')[0],
        status: reply.raw.writableFinished ? reply.raw.statusCode : 0,
        module: (request.params as Record<string, string> | undefined)?.module,
        endpoint: endpointOf(request),
        durationMs: Math.round(performance.now() - started),
      });
    });
  });
}

/** Framework-level failures (unparseable bodies, unknown URLs) in the shape each server would use. */
function handleErrors(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (request.url.startsWith(API_PREFIX)) {
      const code = status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : status < 500 ? 'INVALID_DATA' : 'INTERNAL_ERROR';
      const body = new ZohoApiError(status, code, status < 500 ? 'the request body could not be read' : 'Internal Server Error', { reason: error.message }).body;
      return reply.code(status).send(body);
    }
    return reply.code(status).send({ error: error.message });
  });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith(API_PREFIX)) {
      const error = invalidUrlPattern();
      return reply.code(error.httpStatus).send(error.body);
    }
    return reply.code(404).send({ error: 'not found' });
  });
}

export async function buildServer(state: EmulatorState, logger: boolean): Promise<FastifyInstance> {
  const app = Fastify({ logger });
  await app.register(formBody);
  logRequests(app, state);
  handleErrors(app);
  registerAccountsRoutes(app, state);
  registerMetadataRoutes(app, state);
  registerQueryRoutes(app, state);
  registerRecordReadRoutes(app, state);
  registerRecordWriteRoutes(app, state);
  registerConvertRoute(app, state);
  registerCompositeRoute(app, state);
  registerInspectionRoutes(app, state);
  return app;
}
