/**
 * A closed loop of new M1 calls: a fixed number in flight, each from its webhook until its workflow closed. The
 * benches measure CPU per call and calls per second over it (webhook-e2e, steady-state).
 */
import { answered, freshCall } from './calls';
import type { BenchStack } from './stack';

/** However many calls are asked for, the loop stops after this long (a loaded machine), and says so. */
const LIMIT_MS = 120_000;

export interface ClosedLoop {
  perSecond: number;
  /** Calls finished: fewer than asked when the time limit ran out (a loaded machine), which the rows then say. */
  done: number;
  /** `` or ` (only N of M within the limit; K webhooks refused)`, for a row's label. */
  shortfall: string;
}

/** Sends a new call's end webhook and waits for its workflow; false when the shim refused it (a 503: Temporal did not take it in time). */
export type OneCall = (parameters: Record<string, string>) => Promise<boolean>;

/** One call through `stack`'s shim, until its workflow closed. */
export const throughShim =
  (stack: BenchStack): OneCall =>
  async (parameters) => {
    if ((await stack.send('end', parameters)) !== 200) return false;
    await stack.result(parameters.uniqueid);
    return true;
  };

/** A closed loop that reports a shortfall through `log`: `loop(calls, concurrency, call)`. */
export function closedLoopWith(log: (line: string) => void) {
  return async function closedLoop(calls: number, concurrency: number, call: OneCall): Promise<ClosedLoop> {
    let started = 0;
    let done = 0;
    let refused = 0;
    const startedAt = Date.now();
    const deadline = startedAt + LIMIT_MS;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (started < calls && Date.now() < deadline) {
          started += 1;
          const { callId, phone } = freshCall();
          if (await call(answered(callId, phone))) done += 1;
          else refused += 1;
        }
      }),
    );
    const shortfall = done < calls ? ` (only ${done} of ${calls} within ${LIMIT_MS / 1000} s${refused > 0 ? `; ${refused} webhooks refused` : ''})` : '';
    if (shortfall) log(`closed loop:${shortfall}`);
    return { perSecond: done / ((Date.now() - startedAt) / 1000), done, shortfall };
  };
}
