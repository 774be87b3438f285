/**
 * API credits (a rolling 24 h budget per organisation). Zoho reports only what is left, in
 * `X-API-CREDITS-REMAINING`, and only once half the day's credits are used; it never reports the total. So the
 * total is estimated as twice the highest remaining count seen: exact when this process saw the header appear
 * (it had successful answers without it before), and otherwise at least the edition's base allowance, which every
 * real org's total exceeds.
 */
import type { Logger } from 'pino';
import type { Edition } from './types';

/** Base daily credits per edition, before the per-user part (which would need the licence count). */
const BASE_CREDITS: Readonly<Record<Edition, number>> = {
  free: 5_000,
  standard: 50_000,
  professional: 50_000,
  enterprise: 50_000,
  ultimate: 50_000,
};

const WARN_BELOW_FRACTION = 0.1;
/** Repeat the warning at most this often while credits stay low. */
const WARN_INTERVAL_MS = 5 * 60_000;

export class CreditTracker {
  private highestSeen = 0;
  /** A successful answer came without the header: fewer than half the credits were used then. */
  private sawHalfCrossing = false;
  private lastWarnedAt = -Infinity;

  constructor(private readonly edition: Edition) {}

  /** The estimated daily total the warning threshold is a fraction of. */
  get estimatedTotal(): number {
    const fromHeader = 2 * this.highestSeen;
    return this.sawHalfCrossing ? fromHeader : Math.max(BASE_CREDITS[this.edition], fromHeader);
  }

  observe(status: number, header: unknown, logger: Logger): void {
    const remaining = creditsIn(header);
    if (remaining === undefined) {
      // Error answers may lack the header for other reasons (nothing was charged).
      if (status >= 200 && status < 300 && this.highestSeen === 0) this.sawHalfCrossing = true;
      return;
    }
    this.highestSeen = Math.max(this.highestSeen, remaining);
    const now = Date.now();
    if (remaining < WARN_BELOW_FRACTION * this.estimatedTotal && now - this.lastWarnedAt >= WARN_INTERVAL_MS) {
      this.lastWarnedAt = now;
      logger.warn(
        { creditsRemaining: remaining, creditsEstimatedTotal: this.estimatedTotal },
        'Zoho CRM API credits are running out (fewer than 10% of the day left); calls will fail with 429 when they are gone',
      );
    }
  }
}

/** The count in an `X-API-CREDITS-REMAINING` header; undefined when the header is absent or not a number. */
export function creditsIn(header: unknown): number | undefined {
  const remaining = Number(header);
  return header === undefined || header === null || header === '' || !Number.isFinite(remaining) ? undefined : remaining;
}
