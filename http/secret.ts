/**
 * The webhook secret the telephony puts in its URLs (`?secret=`), on the webhook and the smart-routing endpoint.
 * It is checked in an `onRequest` hook, before Fastify reads the body: a stranger's request, however large or
 * malformed its body, costs no parsing and is answered 401 (#14). The codec server checks its token the same way,
 * with the helpers below, and the wrong secrets of all three count against one budget per source (`WrongSecrets`).
 */
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from '../observability/metrics';
import type { ThrottledLog } from '../observability/throttled-log';
import { clientAddress } from './forwarded';
import { RateLimit } from './rate-limit';

/** Compares secrets in constant time; hashing first makes the lengths equal. */
export function secretMatches(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (s: string) => crypto.createHash('sha256').update(s).digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}

/**
 * Answers from an `onRequest` hook, before the body is read. Closing the connection after the answer spares
 * receiving the rest of the body, and leaves no half-read request holding the socket open.
 */
export function refuseUnread(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('connection', 'close').send(body);
}

/** The endpoints that take a shared secret: the label of callmatrix_secret_limit_refusals_total (never the address). */
export type SecretEndpoint = 'webhook' | 'routing' | 'codec';

/** Wrong secrets (or codec tokens) one source may send in a window; past them it is answered 429 until the window ends. */
export const WRONG_SECRETS = { limit: 10, windowMs: 15 * 60_000 };

/** What a request's secret comes to: served, refused as wrong (401), or refused for its source's wrong ones (429). */
export type SecretVerdict = 'ok' | 'wrong' | 'limited';

/**
 * The per-source budget of wrong secrets, one per process for the webhook, routing and codec endpoints.
 *
 * A request with the RIGHT secret is always served, however many wrong ones its source sent: only wrong attempts
 * are refused 429. Ringostat's webhook senders share a few addresses (and behind a proxy without
 * CALLMATRIX_TRUST_PROXY every client has the proxy's): a stranger's wrong secrets from such an address must not get
 * Ringostat's webhooks refused, since a refused webhook is not re-sent after three tries and the call would be lost.
 * So the budget does not stop a guesser, who still tells a right guess from a 429; the secrets' length does that (at
 * least 16 characters, the codec token 24, checked at start). What it does: a hammering source is told to stop
 * (`Retry-After`) rather than answered 401 forever, its refusals are counted by endpoint, and the log says so once.
 */
export class WrongSecrets {
  private readonly failures = new RateLimit(WRONG_SECRETS.limit, WRONG_SECRETS.windowMs);

  constructor(private readonly options: { trustProxy: boolean; metrics?: Pick<Metrics, 'secrets'> }) {}

  /** Compares `given` with `expected`; a wrong one counts against the request's source (clientAddress). */
  check(request: FastifyRequest, given: unknown, expected: string, endpoint: SecretEndpoint): { verdict: SecretVerdict; source: string } {
    const source = clientAddress(request, this.options.trustProxy);
    if (secretMatches(given, expected)) return { verdict: 'ok', source };
    if (this.failures.take(source)) return { verdict: 'wrong', source };
    this.options.metrics?.secrets.limited(endpoint);
    return { verdict: 'limited', source };
  }

  /** Answers a source over its budget: 429, and when to come back (L4: a 4xx naming the problem, never a 5xx). */
  refuseLimited(reply: FastifyReply, body: unknown): FastifyReply {
    return refuseUnread(reply.header('retry-after', String(WRONG_SECRETS.windowMs / 1000)), 429, body);
  }
}

/** The problem a webhook or routing request over its source's budget is told, in the shim's `{ ok: false, errors }` shape. */
const TOO_MANY_WRONG = `secret: missing or wrong, and too many wrong ones came from this address; retry in ${WRONG_SECRETS.windowMs / 60_000} minutes with the right one (pass ?secret=… in the URL)`;

/**
 * An `onRequest` hook answering 401 unless `?secret=` is `expected` (429 once the source sent too many wrong ones).
 * `endpoint` names the refused request in the log line and the metric; the route's path parameters (the webhook's
 * provider) are logged too.
 */
export function requireSecret(expected: string, wrongSecrets: WrongSecrets, warnRejected: ThrottledLog, endpoint: 'webhook' | 'routing') {
  const named = endpoint === 'webhook' ? 'webhook' : 'routing request';
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { verdict, source } = wrongSecrets.check(request, (request.query as Record<string, unknown> | undefined)?.secret, expected, endpoint);
    if (verdict === 'ok') return;
    const fields = { ...(request.params as object), source };
    if (verdict === 'limited') {
      warnRejected('secret-limit', fields, `${named} refused: too many wrong secrets from this address (429)`);
      return wrongSecrets.refuseLimited(reply, { ok: false, errors: [TOO_MANY_WRONG] });
    }
    warnRejected('secret', fields, `${named} rejected: missing or wrong secret (401)`);
    return refuseUnread(reply, 401, { ok: false, errors: ['secret: missing or wrong (pass ?secret=… in the URL)'] });
  };
}
