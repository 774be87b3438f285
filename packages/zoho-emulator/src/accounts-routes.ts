import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ACCOUNTS_PREFIX, isDataCentre, type DataCentre } from './dc';
import type { EmulatorState } from './state';

/**
 * Zoho Accounts over HTTP, one accounts server per DC under `/accounts/{dc}`: the token endpoint (parameters in
 * the query string or a form/JSON body), token revocation, and the browser authorization endpoint, which here
 * plays a consenting admin and redirects straight back with a grant code.
 */
function paramsOf(request: FastifyRequest): Record<string, string | undefined> {
  const merged = { ...(request.query as Record<string, unknown>), ...(typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {}) };
  return Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, v === undefined ? undefined : String(v)]));
}

function dcOf(request: FastifyRequest, reply: FastifyReply): DataCentre | undefined {
  const { dc } = request.params as { dc: string };
  if (isDataCentre(dc)) return dc;
  void reply.code(404).send({ error: 'unknown data centre', dc });
  return undefined;
}

export function registerAccountsRoutes(app: FastifyInstance, state: EmulatorState): void {
  const base = `${ACCOUNTS_PREFIX}/:dc/oauth/v2`;

  app.post(`${base}/token`, async (request, reply) => {
    const dc = dcOf(request, reply);
    if (!dc) return reply;
    const answer = state.oauth.token(dc, paramsOf(request));
    return reply.code(answer.httpStatus).send(answer.body);
  });

  app.post(`${base}/token/revoke`, async (request, reply) => {
    if (!dcOf(request, reply)) return reply;
    const answer = state.oauth.revoke(paramsOf(request).token);
    return reply.code(answer.httpStatus).send(answer.body);
  });

  app.get(`${base}/auth`, async (request, reply) => {
    if (!dcOf(request, reply)) return reply;
    const p = paramsOf(request);
    // Any DC's login page finds the user's account and hands the code out from the org's DC (multi-DC flow).
    if (p.client_id !== state.oauth.clientId) return reply.code(400).send({ error: 'invalid_client' });
    if (p.response_type !== 'code') return reply.code(400).send({ error: 'unsupported_response_type' });
    if (!p.redirect_uri) return reply.code(400).send({ error: 'invalid_redirect_uri' });
    if (!p.scope) return reply.code(400).send({ error: 'invalid_scope' });
    const { code } = state.oauth.mintGrantCode({ scope: p.scope, redirectUri: p.redirect_uri, offline: p.access_type === 'offline' });
    const target = new URL(p.redirect_uri);
    target.searchParams.set('code', code);
    target.searchParams.set('location', state.org.dc);
    target.searchParams.set('accounts-server', state.accountsUrl);
    if (p.state !== undefined) target.searchParams.set('state', p.state);
    return reply.redirect(target.toString(), 302);
  });
}
