/**
 * What a request says about its client. Behind a reverse proxy that terminates TLS, the socket shows the proxy:
 * its X-Forwarded-For and X-Forwarded-Proto headers are believed only when CALLMATRIX_TRUST_PROXY says a proxy
 * sets them, since any client can send them. Fastify's own `trustProxy` is not used: this is the one reading.
 */
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Logger } from 'pino';
import { throttledLog } from '../observability/throttled-log';

/**
 * The right-most value: the one the trusted proxy added. Proxies (nginx's $proxy_add_x_forwarded_for, ALB,
 * HAProxy) append to what the client sent, so every value to its left is the client's to choose.
 */
const lastValue = (header: string | string[] | undefined): string | undefined => String(header ?? '').split(',').at(-1)?.trim() || undefined;

/** The client's address: rate limits and log lines count per source. */
export function clientAddress(request: FastifyRequest, trustProxy: boolean): string {
  return (trustProxy && lastValue(request.headers['x-forwarded-for'])) || request.ip;
}

/** Whether the client reached callmatrix over TLS: cookies are then marked Secure. */
export function reachedOverHttps(request: FastifyRequest, trustProxy: boolean): boolean {
  return request.protocol === 'https' || (trustProxy && lastValue(request.headers['x-forwarded-proto']) === 'https');
}

/**
 * Behind a reverse proxy with CALLMATRIX_TRUST_PROXY off, every client has the proxy's address: the per-source
 * limits then count everyone as one, and one stranger's wrong sign-ins lock the admins out. A request carrying
 * X-Forwarded-For says so, at most once an hour (a client may send the header itself, so it is only a warning).
 */
export function warnOfUntrustedProxy(logger: Logger): (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void {
  const warn = throttledLog(logger, 3_600_000);
  return (request, _reply, done) => {
    if (request.headers['x-forwarded-for'] !== undefined) {
      warn(
        'untrusted-proxy',
        { source: request.ip },
        'a request came through a proxy (X-Forwarded-For) but CALLMATRIX_TRUST_PROXY is off: the sign-in, routing and wrong-secret limits count every client as the proxy. If your proxy sets the header, set CALLMATRIX_TRUST_PROXY=true',
      );
    }
    done();
  };
}
