/**
 * `npm start` listens on several ports; before it starts anything it checks they are free, so a second
 * `npm start` (or any other program on a port) is reported in one message naming what to change, not as a
 * stack trace from whichever listener failed first.
 */
import net from 'node:net';
import { ConfigError, listenProblem } from '../config/config-error';

export interface PortUse {
  host: string;
  port: number;
  /** What listens there, e.g. "the webhook shim". */
  what: string;
  /** How to move it or avoid it, e.g. "set CALLMATRIX_PORT to a free port". */
  fix: string;
  /** The variable that sets the port, when one does: an interface that is not this machine's is named by its own. */
  portVariable?: string;
}

function isFree({ host, port, portVariable }: PortUse): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(false);
      else reject(portVariable ? listenProblem(error, { host, port }, portVariable) : error);
    });
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

export async function ensurePortsFree(uses: readonly PortUse[]): Promise<void> {
  const taken = (await Promise.all(uses.map(async (use) => ((await isFree(use)) ? undefined : use)))).filter((u) => u !== undefined);
  if (taken.length === 0) return;
  throw new ConfigError(
    taken.map((u) => `port ${u.port} on ${u.host} (${u.what}) is already in use, perhaps by another \`npm start\`: stop it, or ${u.fix}`).join('\n'),
  );
}
