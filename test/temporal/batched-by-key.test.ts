/**
 * M17 (#15): joins of one callers' shard from one worker go one request at a time, the ones that arrive meanwhile
 * together in the next (activities/batched-by-key.ts). caller-turn-lookup.test.ts runs it against a real shard.
 */
import { batchedByKey } from '../../activities/batched-by-key';

/** A `send` whose requests the test answers by hand, in order, recording what each carried. */
function manualSend() {
  const requests: { key: string; items: number[]; answer(): void; fail(error: Error): void }[] = [];
  const send = (key: string, items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      requests.push({ key, items, answer: () => resolve(items.map((item) => `${key}:${item}`)), fail: reject });
    });
  return { send, requests };
}
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('batched by key', () => {
  it('sends a lone item at once, and what arrives while it is in flight in one request after it', async () => {
    const { send, requests } = manualSend();
    const submit = batchedByKey(send, 10);
    const first = submit('shard-1', 1);
    await settle();
    expect(requests.map((r) => r.items)).toEqual([[1]]);

    const later = [2, 3, 4].map((item) => submit('shard-1', item));
    await settle();
    expect(requests).toHaveLength(1);
    requests[0].answer();
    expect(await first).toBe('shard-1:1');
    await settle();
    expect(requests.map((r) => r.items)).toEqual([[1], [2, 3, 4]]);
    requests[1].answer();
    expect(await Promise.all(later)).toEqual(['shard-1:2', 'shard-1:3', 'shard-1:4']);
  });

  it('keeps keys apart, puts items submitted together in one request, and never more than the limit in one', async () => {
    const { send, requests } = manualSend();
    const submit = batchedByKey(send, 2);
    const answers = [submit('a', 1), submit('b', 2), submit('a', 3), submit('a', 5)];
    await settle();
    expect(requests.map((r) => [r.key, r.items])).toEqual([
      ['a', [1, 3]],
      ['b', [2]],
    ]);
    requests[0].answer();
    requests[1].answer();
    await settle();
    expect(requests.map((r) => [r.key, r.items])[2]).toEqual(['a', [5]]);
    requests[2].answer();
    expect(await Promise.all(answers)).toEqual(['a:1', 'b:2', 'a:3', 'a:5']);
  });

  it('fails every item of a failed request, and sends the next ones anyway', async () => {
    const { send, requests } = manualSend();
    const submit = batchedByKey(send, 10);
    const failed = [submit('a', 1), submit('a', 2)];
    await settle();
    const next = submit('a', 3);
    requests[0].fail(new Error('the server refused'));
    for (const answer of failed) await expect(answer).rejects.toThrow('the server refused');
    await settle();
    requests[1].answer();
    expect(await next).toBe('a:3');
  });

  it('refuses answers that do not match the items one to one', async () => {
    const submit = batchedByKey(async () => ['only one'], 10);
    await expect(Promise.all([submit('a', 1), submit('a', 2)])).rejects.toThrow('a answered 1 of 2 items');
  });
});
