/**
 * Ports for the listeners a test names before they listen (a child's CALLMATRIX_PORT, a dev server's UI port, a
 * shim whose public URL is built first), taken outside the kernel's range of ephemeral ports.
 *
 * A port from `freePort()` is closed again and lies in that range, which every `listen(0)` and every outgoing
 * connection of the machine draws from: in the seconds until the child listens, any other test's server or
 * connection may take it, and the child fails with EADDRINUSE. A port outside the range can only be taken by a
 * process that names it, as these are: chosen at random and checked free, two choices of the run meet only by chance.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { freePort } from '../../cli/temporal-dev-server';

/** Above the ports callmatrix and Temporal use by default (3000, 3100, 7233, 8233, 9464, 9465). */
const LOWEST = 10_000;

/** The first ephemeral port (Linux); undefined where the range cannot be read. */
function firstEphemeralPort(): number | undefined {
  try {
    const first = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(first) ? first : undefined;
  } catch {
    return undefined;
  }
}

function listenable(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port on 127.0.0.1 for a listener to be started later; `freePort()` where the ephemeral range is unknown. */
export async function portToListenOn(): Promise<number> {
  const first = firstEphemeralPort();
  if (first === undefined || first - LOWEST < 1_000) return freePort();
  for (;;) {
    const port = crypto.randomInt(LOWEST, first);
    if (await listenable(port)) return port;
  }
}
