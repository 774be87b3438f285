/**
 * Issue 12, item 8: every Temporal connection (the client's Connection and the worker's NativeConnection) reaches a
 * cluster over TLS with mutual authentication, configured by the TEMPORAL_TLS_* variables. The test's dev server
 * speaks plain gRPC, so a TLS terminator in front of it (node's tls, demanding a client certificate signed by a CA
 * generated here with openssl) plays the secured cluster.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { NativeConnection } from '@temporalio/worker';
import { connectTemporal } from '../../app/temporal-connection';
import { loadEnvironment } from '../../config/environment';
import { temporalConnection, type TemporalConnectionOptions } from '../../config/temporal-connection';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-tls-'));
const file = (name: string) => path.join(dir, name);
let proxy: tls.Server;
let address: string;

/** A CA, a server certificate for "temporal.test" and a client certificate, all signed by the CA. */
function makeCertificates(): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=callmatrix test CA');
  for (const [name, subject] of [['server', 'temporal.test'], ['client', 'callmatrix-worker']]) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${subject}`);
    fs.writeFileSync(file(`${name}.ext`), name === 'server' ? 'subjectAltName=DNS:temporal.test\nextendedKeyUsage=serverAuth\n' : 'extendedKeyUsage=clientAuth\n');
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '1', '-extfile', `${name}.ext`);
  }
}

beforeAll(async () => {
  makeCertificates();
  const [host, port] = process.env.TEMPORAL_ADDRESS!.split(':');
  proxy = tls.createServer(
    { key: fs.readFileSync(file('server.key')), cert: fs.readFileSync(file('server.pem')), ca: fs.readFileSync(file('ca.pem')), requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] },
    (socket) => {
      const upstream = net.connect(Number(port), host);
      socket.pipe(upstream).pipe(socket);
      const close = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', close);
      upstream.on('error', close);
    },
  );
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  address = `127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

const mtls = () => ({
  TEMPORAL_ADDRESS: address,
  TEMPORAL_TLS_CA_FILE: file('ca.pem'),
  TEMPORAL_TLS_CERT_FILE: file('client.pem'),
  TEMPORAL_TLS_KEY_FILE: file('client.key'),
  TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
});

it.each([
  ['the client connection', (options: TemporalConnectionOptions) => connectTemporal(options)],
  ["the worker's native connection", (options: TemporalConnectionOptions) => NativeConnection.connect(options)],
])('%s reaches the cluster over mTLS', async (_name, connect) => {
  const connection = await connect(temporalConnection(loadEnvironment(mtls())));
  try {
    const info = await connection.workflowService.getSystemInfo({});
    expect(info.capabilities).toBeDefined();
  } finally {
    await connection.close();
  }
});

it('without the client certificate the cluster refuses, and the error names the address and the TLS variables', async () => {
  const withoutClientCertificate = { ...mtls(), TEMPORAL_TLS_CERT_FILE: undefined, TEMPORAL_TLS_KEY_FILE: undefined };
  const attempt = connectTemporal(temporalConnection(loadEnvironment(withoutClientCertificate)));
  await expect(attempt).rejects.toThrow(new RegExp(`cannot reach Temporal at ${address} \\(over TLS\\)`));
  await expect(attempt).rejects.toThrow(/TEMPORAL_TLS_CERT_FILE/);
});
