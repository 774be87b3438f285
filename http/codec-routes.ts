/**
 * A codec server for the Temporal Web UI: call data is encrypted in workflow history, and the UI decodes it in the
 * browser by posting payloads here (its "codec endpoint"). Enabled only for one UI origin (CORS), because whoever
 * can reach it can read the calls: `npm start` enables it for the embedded UI on loopback; in production put it
 * on an internal network only.
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

export function registerCodecRoutes(app: FastifyInstance, options: { codec: PayloadCodec; allowedOrigins: string[] }): void {
  const corsFor = (origin: string) => ({
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': 'content-type, x-namespace',
    'access-control-allow-credentials': 'true',
    vary: 'origin',
  });
  for (const action of ['encode', 'decode'] as const) {
    const url = `/codec/${action}`;
    app.route({
      method: ['POST', 'OPTIONS'],
      url,
      handler: async (request, reply) => {
        // Browsers always send Origin on these cross-origin calls; anything else is refused too.
        const origin = request.headers.origin;
        if (!origin || !options.allowedOrigins.includes(origin)) return reply.code(403).send({ error: 'origin not allowed' });
        reply.headers(corsFor(origin));
        if (request.method === 'OPTIONS') return reply.code(204).send();
        const body = request.body as { payloads?: JsonPayload[] } | undefined;
        if (!Array.isArray(body?.payloads)) return reply.code(400).send({ error: 'payloads: expected an array' });
        const payloads = await options.codec[action](body.payloads.map(fromJson));
        return reply.send({ payloads: payloads.map(toJson) });
      },
    });
  }
}
