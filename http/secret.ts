/**
 * The webhook secret the telephony puts in its URLs (`?secret=`), on the webhook and the smart-routing endpoint.
 * It is checked in an `onRequest` hook, before Fastify reads the body: a stranger's request, however large or
 * malformed its body, costs no parsing and is answered 401 (#14). The codec server checks its token the same way,
 * with the helpers below.
 */
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ThrottledLog } from '../observability/throttled-log';

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

/**
 * An `onRequest` hook answering 401 unless `?secret=` is `expected`. `endpoint` names the refused request in the
 * log line ("webhook", "routing request"); the route's path parameters (the webhook's provider) are logged too.
 */
export function requireSecret(expected: string, warnRejected: ThrottledLog, endpoint: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (secretMatches((request.query as Record<string, unknown> | undefined)?.secret, expected)) return;
    warnRejected('secret', { ...(request.params as object), ip: request.ip }, `${endpoint} rejected: missing or wrong secret (401)`);
    return refuseUnread(reply, 401, { ok: false, errors: ['secret: missing or wrong (pass ?secret=… in the URL)'] });
  };
}
