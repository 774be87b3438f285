/**
 * Addresses nothing answers at, for the tests of what a command says when Temporal, Zoho or the call log cannot be
 * reached: ports on 127.0.0.1 that refuse connections until the test file is done.
 *
 * A port found free and closed again (`freePort`) is not that: in the seconds a command takes to start and retry,
 * another process may listen on it, and a server answering there turns "unreachable" into something else (an HTTP
 * server's 404 made `backfill` report a refused call-log request, a configuration error, exit 2). Each port here is
 * the local end of a connection the file keeps open: nothing listens on it, and while that connection lives the
 * kernel lets no socket bind it, and hands it to no one asking for a free port.
 */
import net from 'node:net';

/** For a test file: resolves with a port that refuses connections until the file's tests have run. */
export function useRefusedPorts(): () => Promise<number> {
  let listener: Promise<net.Server> | undefined;
  const held: net.Socket[] = [];
  afterAll(async () => {
    for (const socket of held.splice(0)) socket.destroy();
    const server = await listener;
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });
  return async () => {
    listener ??= new Promise((resolve, reject) => {
      const server = net.createServer((accepted) => held.push(accepted));
      server.once('error', reject).listen(0, '127.0.0.1', () => resolve(server));
    });
    const { port } = (await listener).address() as net.AddressInfo;
    const connection = net.connect(port, '127.0.0.1');
    held.push(connection);
    await new Promise<void>((resolve, reject) => connection.once('connect', resolve).once('error', reject));
    return connection.localPort!;
  };
}
