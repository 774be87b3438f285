/**
 * A broken proxy or gateway in front of Zoho must not exhaust the worker's memory: an answer over
 * MAX_RESPONSE_BYTES is not read to its end, and fails the call as a transient error, retried later. Real HTTP
 * from the real client to a local server that answers the token request as Zoho Accounts would, then /org with a
 * body of the size the test sets, its length declared or not.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createZohoClient } from '../../zoho';
import { MAX_RESPONSE_BYTES } from '../../zoho/transport';

describe('the size of Zoho\'s answers', () => {
  let answer: { bytes: number; declared: boolean };
  let server: http.Server;
  let origin = '';
  beforeAll(async () => {
    server = http.createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url === '/oauth/v2/token') return response.end(JSON.stringify({ access_token: 'token', api_domain: origin, expires_in: 3600 }));
      const head = '{"org":[{"id":"1","pad":"';
      const tail = '"}]}';
      const body = Buffer.from(head + 'x'.repeat(answer.bytes - head.length - tail.length) + tail);
      // One end() declares the length; a write first sends the body chunked, its length unknown until it ends.
      if (answer.declared) return response.end(body);
      response.write(body.subarray(0, 1024));
      response.end(body.subarray(1024));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const readOrg = () => {
    const credentials = { dc: 'us' as const, clientId: 'c', clientSecret: 's', refreshToken: 'r', accountsUrl: origin };
    return createZohoClient({ credentials: { current: async () => credentials }, logger: pino({ level: 'silent' }) }).getOrg();
  };

  it.each([
    ['declared', true],
    ['chunked', false],
  ])('an answer over the limit (%s) fails as a retryable ZohoTransientError', async (_how, declared) => {
    answer = { bytes: MAX_RESPONSE_BYTES + 1024, declared };
    await expect(readOrg()).rejects.toMatchObject({ name: 'ZohoTransientError', retryable: true, message: 'read org: the answer was larger than 16 MiB' });
  });

  it('a large answer within the limit is read', async () => {
    answer = { bytes: 4 * 1024 * 1024, declared: false };
    await expect(readOrg()).resolves.toMatchObject({ id: '1' });
  });
});
