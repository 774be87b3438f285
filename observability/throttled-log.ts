/**
 * Lines that a stranger or an outage can trigger many times a second (wrong secrets, malformed webhooks, Temporal
 * unreachable) must not flood the log: each kind is written at most once per interval, with how many like it were
 * left out since the last one written.
 */
import type { Logger } from 'pino';

export type ThrottledLog = (kind: string, fields: Record<string, unknown>, message: string) => void;

/** `level`: warn for what strangers send, error for an outage (the shim's Temporal unreachable). */
export function throttledLog(logger: Logger, intervalMs = 60_000, level: 'warn' | 'error' = 'warn'): ThrottledLog {
  const kinds = new Map<string, { writtenAt: number; leftOut: number }>();
  return (kind, fields, message) => {
    const now = Date.now();
    const seen = kinds.get(kind);
    if (seen && now - seen.writtenAt < intervalMs) {
      seen.leftOut += 1;
      return;
    }
    logger[level]({ ...fields, ...(seen?.leftOut ? { similarLeftOut: seen.leftOut } : {}) }, message);
    kinds.set(kind, { writtenAt: now, leftOut: 0 });
  };
}
