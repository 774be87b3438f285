/**
 * Issue 14: callmatrix can reach a Temporal cluster secured with TLS, mTLS or an API key, configured from the
 * environment; the embedded dev server stays plain.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadEnvironment } from '../../config/environment';
import { temporalConnection } from '../../config/temporal-connection';

describe('Temporal connection security', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-tls-'));
  const file = (name: string) => {
    fs.writeFileSync(path.join(dir, name), `-----BEGIN ${name}-----\n`);
    return path.join(dir, name);
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is plain by default and for the embedded dev server', () => {
    expect(temporalConnection(loadEnvironment({ TEMPORAL_ADDRESS: 'temporal:7233' }))).toEqual({ address: 'temporal:7233' });
    expect(temporalConnection(loadEnvironment({ TEMPORAL_API_KEY: 'key' }), '127.0.0.1:7233')).toEqual({ address: '127.0.0.1:7233' });
  });

  it('uses mTLS with the CA and client certificate files, and an API key over TLS', () => {
    const env = loadEnvironment({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_TLS_CA_FILE: file('CA'), TEMPORAL_TLS_CERT_FILE: file('CERT'), TEMPORAL_TLS_KEY_FILE: file('KEY'), TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' });
    const options = temporalConnection(env);
    expect(options.tls).toMatchObject({ serverNameOverride: 'temporal.internal', clientCertPair: { crt: expect.any(Buffer), key: expect.any(Buffer) } });
    expect(temporalConnection(loadEnvironment({ TEMPORAL_ADDRESS: 'ns.tmprl.cloud:7233', TEMPORAL_API_KEY: 'key' }))).toEqual({ address: 'ns.tmprl.cloud:7233', tls: {}, apiKey: 'key' });
  });

  it('names the variable of a file it cannot read, and a certificate without its key', () => {
    expect(() => temporalConnection(loadEnvironment({ TEMPORAL_ADDRESS: 't:7233', TEMPORAL_TLS_CA_FILE: '/nonexistent/ca.pem' }))).toThrow(/TEMPORAL_TLS_CA_FILE: cannot read \/nonexistent\/ca.pem \(ENOENT\)/);
    expect(() => temporalConnection(loadEnvironment({ TEMPORAL_ADDRESS: 't:7233', TEMPORAL_TLS_CERT_FILE: file('CERT') }))).toThrow(/TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together/);
  });
});
