/**
 * Temporal requests that answer within a deadline, whatever Temporal does. The gRPC deadline alone cancels a
 * request, but the client's retries of an unreachable server sleep past it (a 5 s deadline answered after 6 s), so
 * a timer settles the wait on time, and aborts the request. A request Temporal completed just before the abort is
 * harmless here: delivering a call event again changes nothing.
 *
 * A retry already asleep still wakes up after the answer, and if its connection was closed meanwhile it throws
 * where nothing can catch it: `drain()` waits for such stragglers, before the connection is closed.
 */
import type { Client } from '@temporalio/client';

export class TemporalDeadlineError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`Temporal did not answer within ${deadlineMs} ms`);
  }
}

export class DeadlineRequests {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly client: Client,
    readonly deadlineMs: number,
  ) {}

  async run<T>(request: () => Promise<T>): Promise<T> {
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new TemporalDeadlineError(this.deadlineMs));
      }, this.deadlineMs);
    });
    const attempt = this.client.withAbortSignal(abort.signal, () => this.client.withDeadline(Date.now() + this.deadlineMs, request));
    const settled: Promise<unknown> = attempt.then(
      () => this.pending.delete(settled),
      () => this.pending.delete(settled),
    );
    this.pending.add(settled);
    try {
      return await Promise.race([attempt, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits for the requests still retrying after their answer was given. Call before closing the connection. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
