/**
 * Group commit per key: at most one request per key in flight from this process, and whatever arrived meanwhile
 * goes together in the next. A lone item goes at once; under load the items of one key share a request.
 *
 * Used for joins of the callers' shards and takes of the missed-call round robin (call-control.ts). Temporal lets
 * a workflow have only 10 updates in flight (the server refuses more, and the client backs off and retries: a
 * burst of 40 joins on one shard took 2 s), and each update costs the workflow a workflow task. Batched, a burst
 * costs one update per round trip.
 */
export type SendBatch<Item, Answer> = (key: string, items: Item[]) => Promise<Answer[]>;

interface Waiting<Item, Answer> {
  item: Item;
  resolve(answer: Answer): void;
  reject(error: unknown): void;
}

export function batchedByKey<Item, Answer>(send: SendBatch<Item, Answer>, maxBatch: number): (key: string, item: Item) => Promise<Answer> {
  const waiting = new Map<string, Waiting<Item, Answer>[]>();
  const sending = new Set<string>();

  const flush = async (key: string): Promise<void> => {
    const queued = waiting.get(key) ?? [];
    const batch = queued.splice(0, maxBatch);
    if (queued.length === 0) waiting.delete(key);
    if (batch.length === 0) return;
    sending.add(key);
    try {
      const answers = await send(key, batch.map((w) => w.item));
      if (answers.length !== batch.length) throw new Error(`${key} answered ${answers.length} of ${batch.length} items`);
      batch.forEach((w, index) => w.resolve(answers[index]));
    } catch (error) {
      // Each item's caller retries on its own (an activity retry), as it would without the batch.
      for (const w of batch) w.reject(error);
    } finally {
      sending.delete(key);
      if (waiting.has(key)) void flush(key);
    }
  };

  return (key, item) =>
    new Promise<Answer>((resolve, reject) => {
      const queued = waiting.get(key);
      if (queued) queued.push({ item, resolve, reject });
      else waiting.set(key, [{ item, resolve, reject }]);
      // Items submitted in the same turn of the event loop go together; a lone one is not delayed.
      if (!sending.has(key) && !queued) queueMicrotask(() => void flush(key));
    });
}
