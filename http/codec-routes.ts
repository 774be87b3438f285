/**
 * A codec server for the Temporal Web UI: call data is encrypted in workflow history, and the UI decodes it in the
 * browser by posting payloads to its "codec endpoint". Whoever can use this endpoint can read the calls, so it
 * asks for a credential the UI can send, not only an Origin (which any non-browser client sets as it likes):
 * - the codec token as the first path segment: the UI's endpoint is `<codec URL>/<token>` and it posts to
 *   `<codec URL>/<token>/decode`. Every UI can send this, including the dev server's, which has no other option;
 * - or `Authorization: Bearer <token>` on `/decode`: the Temporal CLI's `--codec-auth`, or a proxy that adds it.
 * Wrong tokens count against their source like wrong webhook secrets (http/secret.ts, `WrongSecrets`): past the
 * budget the answer is 429, while the right token is still served from that source.
 * Browsers get CORS headers only for the configured UI origins. There is no encode endpoint: the UI needs none to
 * show history, and one would let anyone holding the token make call data the worker accepts. Errors are generic.
 * Plain payloads (the SDK's own local-activity markers, or a forger's data) are shown as they are: the UI only
 * displays them, and the worker refuses such data on its own.
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { throttledLog } from '../observability/throttled-log';
import { isEncryptedPayload } from '../temporal/encryption-codec';
import { refuseUnread, type WrongSecrets } from './secret';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(String(v), 'base64')])),
  data: Buffer.from(String(p.data ?? ''), 'base64'),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

export interface CodecRoutesOptions {
  codec: PayloadCodec;
  /** CALLMATRIX_CODEC_TOKEN. */
  token: string;
  /** The process's budget of wrong secrets (and tokens) per source, shared with the webhook and routing endpoints. */
  wrongSecrets: WrongSecrets;
  /** Origins of the Temporal UIs whose browsers may read the answers (CORS). */
  allowedOrigins: string[];
  logger: Logger;
}

export function registerCodecRoutes(app: FastifyInstance, options: CodecRoutesOptions): void {
  const bearer = (request: FastifyRequest) => /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  // Logged (an admin sees a misconfigured UI), but a stranger guessing tokens cannot flood the log.
  const warnRefused = throttledLog(options.logger);

  /**
   * An `onRequest` hook, as for the webhook's secret (secret.ts): the origin and the token are checked before the
   * body is read, so a stranger's body, however large or malformed, costs no parsing.
   */
  const admit = (tokenOf: (request: FastifyRequest) => string | undefined) => async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!options.allowedOrigins.includes(origin)) return refuseUnread(reply, 403, { error: 'forbidden' });
      reply.headers({
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'POST, OPTIONS',
        'access-control-allow-headers': 'authorization, content-type, x-namespace',
        'access-control-allow-credentials': 'true',
        vary: 'origin',
      });
    }
    // A browser's preflight carries no credentials: it is answered for allowed origins only, and decodes nothing.
    if (request.method === 'OPTIONS') return reply.code(origin ? 204 : 403).send();
    const { verdict, source } = options.wrongSecrets.check(request, tokenOf(request), options.token, 'codec');
    if (verdict === 'limited') {
      warnRefused('token-limit', { source, origin }, 'codec request refused: too many wrong codec tokens from this address (429)');
      return options.wrongSecrets.refuseLimited(reply, { error: 'too many wrong tokens; retry later' });
    }
    if (verdict === 'wrong') {
      warnRefused('token', { source, origin }, 'codec request refused: missing or wrong codec token');
      return refuseUnread(reply, 401, { error: 'unauthorized' });
    }
  };

  const decode = async (request: FastifyRequest, reply: FastifyReply) => {
    const body = request.body as { payloads?: JsonPayload[] } | undefined;
    if (!Array.isArray(body?.payloads)) return reply.code(400).send({ error: 'payloads: expected an array' });
    try {
      const payloads = await Promise.all(
        body.payloads.map(fromJson).map(async (payload) => (isEncryptedPayload(payload) ? (await options.codec.decode([payload]))[0] : payload)),
      );
      return reply.send({ payloads: payloads.map(toJson) });
    } catch (error) {
      options.logger.warn({ err: error }, 'codec could not decode payloads');
      return reply.code(400).send({ error: 'payloads could not be decoded' });
    }
  };

  app.route({ method: ['POST', 'OPTIONS'], url: '/decode', onRequest: admit(bearer), handler: decode });
  app.route({ method: ['POST', 'OPTIONS'], url: '/:token/decode', onRequest: admit((request) => (request.params as { token: string }).token), handler: decode });
}
