import { defaultPayloadConverter } from '@temporalio/common';
import Fastify from 'fastify';
import { registerCodecRoutes } from '../../http/codec-routes';
import { EncryptionCodec, generateEncryptionKey, parseEncryptionKey } from '../../temporal/encryption-codec';

describe('codec endpoint for the Temporal UI', () => {
  const codec = new EncryptionCodec(parseEncryptionKey(generateEncryptionKey()));
  const app = Fastify();
  registerCodecRoutes(app, { codec, allowedOrigins: ['http://127.0.0.1:8233'] });
  let url = '';
  beforeAll(async () => {
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.close());

  const post = (path: string, headers: Record<string, string>, body: unknown) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  const asJson = (p: { metadata?: Record<string, Uint8Array | null> | null; data?: Uint8Array | null }) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
    data: Buffer.from(p.data ?? []).toString('base64'),
  });

  it('decodes encrypted payloads for the allowed UI origin', async () => {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload({ clientNumber: '+380671234567' })]);
    const response = await post('/codec/decode', { origin: 'http://127.0.0.1:8233' }, { payloads: [asJson(encrypted)] });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    const [decoded] = ((await response.json()) as { payloads: { data: string }[] }).payloads;
    expect(Buffer.from(decoded.data, 'base64').toString()).toBe('{"clientNumber":"+380671234567"}');
  });

  it('refuses other origins and requests without one', async () => {
    for (const headers of [{ origin: 'https://evil.example' }, {}] as Record<string, string>[]) {
      expect((await post('/codec/decode', headers, { payloads: [] })).status).toBe(403);
    }
  });
});
