/**
 * A per-source budget of uses in fixed windows (failed sign-ins, routing lookups): a source that has used its
 * budget is refused until its window ends. Memory is bounded: at most `maxSources` sources are tracked, the oldest
 * windows forgotten first (the Map's insertion order is window-start order, since a new window re-inserts).
 */
export class RateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly maxSources = 10_000,
  ) {}

  /** Whether `source` has used up its budget for the current window. */
  exceeded(source: string, now = Date.now()): boolean {
    const window = this.windows.get(source);
    return window !== undefined && now - window.start < this.windowMs && window.count >= this.limit;
  }

  /** Counts one use by `source`. */
  count(source: string, now = Date.now()): void {
    const window = this.windows.get(source);
    if (window && now - window.start < this.windowMs) {
      window.count += 1;
      return;
    }
    this.windows.delete(source);
    this.windows.set(source, { start: now, count: 1 });
    for (const oldest of this.windows.keys()) {
      if (this.windows.size <= this.maxSources) break;
      this.windows.delete(oldest);
    }
  }

  /** Counts one use and tells whether it was within the budget. */
  take(source: string, now = Date.now()): boolean {
    if (this.exceeded(source, now)) return false;
    this.count(source, now);
    return true;
  }
}
