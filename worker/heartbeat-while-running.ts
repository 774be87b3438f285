/**
 * Heartbeats, while it runs, every activity scheduled with the keep-alive heartbeat timeout
 * (`KEEP_ALIVE_HEARTBEAT_TIMEOUT_MS`: the call's writes, its turn's join, the round robin's take). Without them a
 * worker killed in the middle of a write (a crash, a deploy, an OOM kill) left the activity started until its
 * start-to-close timeout, two minutes, and its caller's later calls waited behind the turn it held (M17): in the
 * chaos bench the last call was written 155 s after the first webhook instead of 45–50. With them the server sees
 * the worker gone after the heartbeat timeout and retries the activity on another worker.
 *
 * The first heartbeat goes only after `FIRST_AFTER_MS`, so an activity that ends sooner (nearly all: one Zoho
 * round trip) sends none; the SDK throttles the rest to one per 80 % of the timeout. Activities with a heartbeat
 * timeout of their own report progress in their heartbeats and are left to it.
 */
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { KEEP_ALIVE_HEARTBEAT_TIMEOUT_MS } from '../temporal/contracts';

const FIRST_AFTER_MS = 2_000;

export const heartbeatWhileRunning: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      if (ctx.info.isLocal || ctx.info.heartbeatTimeoutMs !== KEEP_ALIVE_HEARTBEAT_TIMEOUT_MS) return next(input);
      const beat = setInterval(() => ctx.heartbeat(), FIRST_AFTER_MS);
      try {
        return await next(input);
      } finally {
        clearInterval(beat);
      }
    },
  },
});
