/**
 * Issue 14 (Zoho endpoints): the access token goes only to Zoho's API domain of the data centre, https; a token
 * response naming another host is refused before anything is sent there. The emulator or a sandbox is reachable
 * only through the explicit accounts-server override, which must itself be https or loopback.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { loadEnvironment } from '../../config/environment';
import { createZohoClient, ZohoAuthorizationError } from '../../zoho';
import { credentialUrlProblem } from '../../common/credential-url';
import { isTrustedApiDomain } from '../../zoho/data-centres';

describe('Zoho endpoints', () => {
  it('trusts only the data centre\'s own API domain over https, or the override\'s origin', () => {
    expect(isTrustedApiDomain('https://www.zohoapis.eu', 'eu')).toBe(true);
    expect(isTrustedApiDomain('https://www.zohoapis.eu/', 'eu')).toBe(true);
    expect(isTrustedApiDomain('http://www.zohoapis.eu', 'eu')).toBe(false);
    expect(isTrustedApiDomain('https://www.zohoapis.com', 'eu')).toBe(false);
    expect(isTrustedApiDomain('https://www.zohoapis.eu.evil.example', 'eu')).toBe(false);
    expect(isTrustedApiDomain('https://user:pw@www.zohoapis.eu', 'eu')).toBe(false);
    expect(isTrustedApiDomain('http://127.0.0.1:3100/zohoapis/us', 'us')).toBe(false);
    expect(isTrustedApiDomain('http://127.0.0.1:3100/zohoapis/us', 'us', 'http://127.0.0.1:3100/accounts/us')).toBe(true);
    expect(isTrustedApiDomain('http://127.0.0.1:4000/zohoapis/us', 'us', 'http://127.0.0.1:3100/accounts/us')).toBe(false);
  });

  it('accepts an accounts-server override over https or on loopback only, and names the variable', () => {
    expect(credentialUrlProblem('https://accounts.sandbox.example')).toBeUndefined();
    expect(credentialUrlProblem('http://127.0.0.1:3100/accounts/us')).toBeUndefined();
    expect(credentialUrlProblem('http://accounts.example')).toMatch(/https/);
    expect(() => loadEnvironment({ ZOHO_ACCOUNTS_URL: 'http://accounts.example' })).toThrow(/ZOHO_ACCOUNTS_URL.*must be https/);
  });

  describe('a token response that names a foreign API domain', () => {
    let accounts: FastifyInstance;
    let elsewhere: FastifyInstance;
    const reached: string[] = [];
    beforeAll(async () => {
      elsewhere = Fastify();
      elsewhere.all('/*', async (request) => {
        reached.push(`${request.method} ${request.url} ${request.headers.authorization ?? ''}`);
        return { users: [] };
      });
      const elsewhereUrl = await elsewhere.listen({ host: '127.0.0.1', port: 0 });
      accounts = Fastify();
      accounts.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));
      // Hostile or misconfigured: a valid-looking token whose api_domain is another host, over plain http.
      accounts.post('/oauth/v2/token', async () => ({ access_token: 'stolen-if-sent', api_domain: elsewhereUrl, expires_in: 3600 }));
      await accounts.listen({ host: '127.0.0.1', port: 0 });
    });
    afterAll(async () => {
      await accounts.close();
      await elsewhere.close();
    });

    it('is refused and the token is sent nowhere', async () => {
      const { port } = accounts.server.address() as { port: number };
      const credentials = { dc: 'us' as const, clientId: 'c', clientSecret: 's', refreshToken: 'r', accountsUrl: `http://127.0.0.1:${port}` };
      const zoho = createZohoClient({ credentials: { current: async () => credentials }, logger: pino({ level: 'silent' }) });
      const failure = await zoho.listUsers('ActiveUsers').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ZohoAuthorizationError);
      expect((failure as Error).message).toMatch(/named API domain http:\/\/127\.0\.0\.1:\d+, which is not Zoho's API domain of data centre us/);
      expect(reached).toEqual([]);
    });
  });
});
