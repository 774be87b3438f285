/** The routing cache stays bounded: at most `maxEntries` numbers, the oldest forgotten first. */
import { BoundedTtlCache } from '../../client/routing/bounded-ttl-cache';

describe('bounded TTL cache', () => {
  const policy = { ttlMs: 60_000, maxEntries: 2 };

  it('keeps at most maxEntries keys, forgetting the oldest first', () => {
    const cache = new BoundedTtlCache<string>();
    const loads: string[] = [];
    const load = (key: string) => () => {
      loads.push(key);
      return key;
    };
    const get = (key: string) => cache.get(key, load(key), policy);
    ['a', 'b', 'c', 'b', 'c', 'a'].forEach(get);
    expect(loads).toEqual(['a', 'b', 'c', 'a']);
  });

  it('forgets a value only while it is the one stored', () => {
    const cache = new BoundedTtlCache<object>();
    const first = cache.get('k', () => ({}), policy);
    cache.forget('k', {});
    expect(cache.get('k', () => ({}), policy)).toBe(first);
    cache.forget('k', first);
    expect(cache.get('k', () => ({}), policy)).not.toBe(first);
  });
});
