/**
 * What a request says about its client. Behind a reverse proxy that terminates TLS, the socket shows the proxy:
 * its X-Forwarded-For and X-Forwarded-Proto headers are believed only when CALLMATRIX_TRUST_PROXY says a proxy
 * sets them, since any client can send them.
 */
import type { FastifyRequest } from 'fastify';

const firstValue = (header: string | string[] | undefined): string | undefined => String(header ?? '').split(',')[0]?.trim() || undefined;

/** The client's address: rate limits and log lines count per source. */
export function clientAddress(request: FastifyRequest, trustProxy: boolean): string {
  return (trustProxy && firstValue(request.headers['x-forwarded-for'])) || request.ip;
}

/** Whether the client reached callmatrix over TLS: cookies are then marked Secure. */
export function reachedOverHttps(request: FastifyRequest, trustProxy: boolean): boolean {
  return request.protocol === 'https' || (trustProxy && firstValue(request.headers['x-forwarded-proto']) === 'https');
}
