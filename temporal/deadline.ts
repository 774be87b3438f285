/**
 * A Temporal request that answers within a deadline, whatever Temporal does. The gRPC deadline alone cancels the
 * request, but the client's retries of an unreachable server sleep past it (a 5 s deadline answered after 6 s), so
 * a timer settles the wait on time as well. A request that completes after the timer is harmless here: delivering
 * a call event again changes nothing.
 */
import type { Client } from '@temporalio/client';

export class TemporalDeadlineError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`Temporal did not answer within ${deadlineMs} ms`);
  }
}

export async function withinDeadline<T>(client: Client, deadlineMs: number, request: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TemporalDeadlineError(deadlineMs)), deadlineMs);
  });
  try {
    return await Promise.race([client.withDeadline(Date.now() + deadlineMs, request), expired]);
  } finally {
    clearTimeout(timer);
  }
}
