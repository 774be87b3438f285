/** Time-bounded memos: the routing cache stays bounded (oldest forgotten first); metadata loads are shared and a failure is not kept. */
import { BoundedTtlCache, TtlCache } from '../../common/ttl-cache';

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

describe('TTL cache of asynchronous loads', () => {
  it('shares one load between callers within the time-to-live', async () => {
    const cache = new TtlCache<number>(60_000);
    let loads = 0;
    const load = async () => ++loads;
    expect(await Promise.all([cache.get('org', load), cache.get('org', load)])).toEqual([1, 1]);
    expect(await cache.get('org', load)).toBe(1);
  });

  it('forgets a failed load, so the next caller loads again', async () => {
    const cache = new TtlCache<string>(60_000);
    await expect(cache.get('org', () => Promise.reject(new Error('Zoho down')))).rejects.toThrow('Zoho down');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get('org', async () => 'loaded')).toBe('loaded');
  });
});
