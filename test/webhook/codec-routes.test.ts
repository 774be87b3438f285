/**
 * Issue 14: the codec server decrypts call data only for a holder of the codec token, on a listener of its own,
 * offers no encode endpoint, and answers errors without internal crypto text.
 */
import { Writable } from 'node:stream';
import { defaultPayloadConverter } from '@temporalio/common';
import pino from 'pino';
import { startCodecServer, type RunningCodecServer } from '../../http/codec-server';
import { WrongSecrets } from '../../http/secret';
import { EncryptionCodec, generateEncryptionKey, parseEncryptionKey } from '../../temporal/encryption-codec';

describe('codec server for the Temporal UI', () => {
  const codec = new EncryptionCodec(parseEncryptionKey(generateEncryptionKey()));
  const token = 'test-codec-token-0123456789abcdef';
  const uiOrigin = 'http://127.0.0.1:8233';
  let server: RunningCodecServer;
  let base = '';
  beforeAll(async () => {
    server = await startCodecServer({ codec, token, allowedOrigins: [uiOrigin], host: '127.0.0.1', port: 0, portVariable: 'CALLMATRIX_CODEC_PORT', wrongSecrets: new WrongSecrets({ trustProxy: false }), logger: pino({ level: 'silent' }) });
    base = server.uiEndpoint.slice(0, -token.length - 1);
  });
  afterAll(() => server.close());

  const post = (path: string, headers: Record<string, string>, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  const asJson = (p: { metadata?: Record<string, Uint8Array | null> | null; data?: Uint8Array | null }) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
    data: Buffer.from(p.data ?? []).toString('base64'),
  });
  const encrypted = async () => asJson((await codec.encode([defaultPayloadConverter.toPayload({ clientNumber: '+380671234567' })]))[0]);
  const decodedText = async (response: Response) =>
    Buffer.from(((await response.json()) as { payloads: { data: string }[] }).payloads[0].data, 'base64').toString();

  it('decodes for the UI, whose endpoint carries the token in its path', async () => {
    expect(server.uiEndpoint).toBe(`${base}/${token}`);
    const response = await fetch(`${server.uiEndpoint}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: uiOrigin, 'x-namespace': 'default' },
      body: JSON.stringify({ payloads: [await encrypted()] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    expect(await decodedText(response)).toBe('{"clientNumber":"+380671234567"}');
  });

  it('decodes for a client that sends the token as a bearer (the Temporal CLI\'s --codec-auth)', async () => {
    const response = await post('/decode', { authorization: `Bearer ${token}` }, { payloads: [await encrypted()] });
    expect(response.status).toBe(200);
    expect(await decodedText(response)).toBe('{"clientNumber":"+380671234567"}');
  });

  it('shows plain payloads (the SDK\'s local-activity markers) as they are', async () => {
    const plain = asJson(defaultPayloadConverter.toPayload({ type: 'lookUpCaller', seq: 1 }));
    const response = await post('/decode', { authorization: `Bearer ${token}` }, { payloads: [plain] });
    expect(response.status).toBe(200);
    expect(await decodedText(response)).toBe('{"type":"lookUpCaller","seq":1}');
  });

  it('refuses an allowed Origin without the token, and a wrong token', async () => {
    const payloads = [await encrypted()];
    for (const [path, headers] of [
      ['/decode', { origin: uiOrigin }],
      ['/decode', { authorization: 'Bearer wrong-token-wrong-token-wrong' }],
      ['/wrong-token-wrong-token-wrong/decode', { origin: uiOrigin }],
    ] as [string, Record<string, string>][]) {
      const response = await post(path, headers, { payloads });
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain('380671234567');
    }
  });

  it('refuses a request without the right token before reading its body: a large malformed one is 401, not 400', async () => {
    const malformed = `{"payloads":[${'x'.repeat(3 * 1024 * 1024)}`;
    const send = (path: string, headers: Record<string, string>) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: malformed });
    for (const [path, headers] of [
      ['/decode', {}],
      ['/decode', { authorization: 'Bearer wrong-token-wrong-token-wrong' }],
      ['/wrong-token-wrong-token-wrong/decode', { origin: uiOrigin }],
    ] as [string, Record<string, string>][]) {
      const response = await send(path, headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'unauthorized' });
    }
    // The same body with the token is parsed, and refused as malformed: the 401s above never got that far.
    expect((await send('/decode', { authorization: `Bearer ${token}` })).status).toBe(400);
  });

  it('logs wrong tokens at most once a minute, however often they come', async () => {
    const lines: Record<string, unknown>[] = [];
    const memory = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>));
        done();
      },
    });
    const logged = await startCodecServer({ codec, token, allowedOrigins: [uiOrigin], host: '127.0.0.1', port: 0, portVariable: 'CALLMATRIX_CODEC_PORT', wrongSecrets: new WrongSecrets({ trustProxy: false }), logger: pino({ level: 'info' }, memory) });
    try {
      const loggedBase = logged.uiEndpoint.slice(0, -token.length - 1);
      for (let i = 0; i < 5; i += 1) {
        const response = await fetch(`${loggedBase}/decode`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer wrong-${i}` }, body: '{"payloads":[]}' });
        expect(response.status).toBe(401);
      }
      expect(lines.filter((line) => line.level === 40).map((line) => line.msg)).toEqual(['codec request refused: missing or wrong codec token']);
    } finally {
      await logged.close();
    }
  });

  it('refuses other browser origins even with the token', async () => {
    expect((await post(`/${token}/decode`, { origin: 'https://evil.example' }, { payloads: [] })).status).toBe(403);
  });

  it('has no encode endpoint', async () => {
    for (const path of [`/${token}/encode`, '/encode']) expect((await post(path, { authorization: `Bearer ${token}` }, { payloads: [] })).status).toBe(404);
  });

  it('answers undecodable payloads with a generic error', async () => {
    const foreign = { metadata: { encoding: Buffer.from('binary/encrypted').toString('base64'), 'encryption-key-id': Buffer.from('nope').toString('base64') }, data: 'AAA=' };
    const response = await post('/decode', { authorization: `Bearer ${token}` }, { payloads: [foreign] });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'payloads could not be decoded' });
  });
});
