/** What the inspection API reports about traffic: one entry per request, and counts by endpoint. */
export interface LoggedRequest {
  seq: number;
  time: string;
  method: string;
  path: string;
  /** 0 when the connection was dropped without a response (timeout-after-commit). */
  status: number;
  module?: string;
  /** Method and route with the module filled in and ids left as placeholders, e.g. `PUT /crm/v8/Leads/{id}`. */
  endpoint: string;
  durationMs: number;
}

// Enough for any test; a long benchmark keeps exact counts but only the latest entries.
const MAX_ENTRIES = 20_000;

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private counts = new Map<string, number>();
  private seq = 0;

  record(entry: Omit<LoggedRequest, 'seq'>): void {
    this.seq += 1;
    this.entries.push({ seq: this.seq, ...entry });
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    this.counts.set(entry.endpoint, (this.counts.get(entry.endpoint) ?? 0) + 1);
  }

  list(afterSeq = 0): LoggedRequest[] {
    return this.entries.filter((e) => e.seq > afterSeq);
  }

  countsByEndpoint(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  clear(): void {
    this.entries = [];
    this.counts = new Map();
  }
}
