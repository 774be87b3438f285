/**
 * Time-bounded memos. `BoundedTtlCache`: a per-key memo that forgets after a time-to-live and never holds more
 * than a given number of keys. The policy
 * is passed on every use, so edited settings apply at once, to entries already stored too. Entries are never
 * refreshed on a hit, so the Map's insertion order is also age order: the oldest entries, expired or not, are at
 * the front, and trimming the front keeps both bounds cheaply.
 */
export interface CachePolicy {
  /** 0 = do not cache. */
  ttlMs: number;
  maxEntries: number;
}

export class BoundedTtlCache<V> {
  private readonly entries = new Map<string, { storedAt: number; value: V }>();

  /** The cached value of `key`, or a fresh one from `load`, stored when the policy caches. */
  get(key: string, load: () => V, policy: CachePolicy): V {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.storedAt < policy.ttlMs) return hit.value;
    this.entries.delete(key);
    const value = load();
    if (policy.ttlMs > 0) this.entries.set(key, { storedAt: now, value });
    this.trim(now, policy);
    return value;
  }

  /** Forgets `key` if it still holds `value` (a newer value stored meanwhile is kept). */
  forget(key: string, value: V): void {
    if (this.entries.get(key)?.value === value) this.entries.delete(key);
  }

  private trim(now: number, policy: CachePolicy): void {
    for (const [key, entry] of this.entries) {
      if (now - entry.storedAt < policy.ttlMs && this.entries.size <= policy.maxEntries) return;
      this.entries.delete(key);
    }
  }
}

/**
 * A memo of asynchronous loads for metadata that changes only when an admin edits the org: one load per key and
 * time-to-live, shared by concurrent callers; a failed load is forgotten, not served.
 */
export class TtlCache<V> {
  private readonly cache = new BoundedTtlCache<Promise<V>>();
  private readonly policy: CachePolicy;

  constructor(ttlMs: number, maxEntries = 1000) {
    this.policy = { ttlMs, maxEntries };
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const value = this.cache.get(key, load, this.policy);
    value.catch(() => this.cache.forget(key, value));
    return value;
  }
}
