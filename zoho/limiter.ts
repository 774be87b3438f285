/**
 * Zoho counts simultaneous in-flight calls per organisation and app: 5/10/15/20/25 by edition, and at most 10 of
 * them may be "heavy" (search, COQL, …) on every edition. Going over costs a 429, so the client queues instead.
 * One limiter per organisation (in its ZohoOrgState), shared by every client and activity of the org.
 */
import type { Edition } from './types';

export const EDITION_CONCURRENCY: Readonly<Record<Edition, number>> = {
  free: 5,
  standard: 10,
  professional: 15,
  enterprise: 20,
  ultimate: 25,
};

export const SUB_CONCURRENCY = 10;

/**
 * FIFO counting semaphore: callers are served in arrival order so no activity starves under load. A caller may
 * take several units at once (a composite request holds 5), all or none, so two such callers cannot each hold a
 * part and wait for the other forever.
 */
class Semaphore {
  private active = 0;
  private readonly waiting: { units: number; admit: () => void }[] = [];

  constructor(public limit: number) {}

  async acquire(units = 1): Promise<void> {
    if (this.waiting.length === 0 && this.active + units <= this.limit) {
      this.active += units;
      return;
    }
    await new Promise<void>((admit) => this.waiting.push({ units, admit }));
  }

  release(units = 1): void {
    this.active -= units;
    this.drain();
  }

  /** Admits waiters, first come first served, while the head of the queue fits (also after the limit was raised). */
  drain(): void {
    // A caller asking for more units than the limit would wait forever: it is admitted once nothing else runs.
    while (this.waiting.length > 0 && (this.active + this.waiting[0].units <= this.limit || this.active === 0)) {
      const next = this.waiting.shift()!;
      this.active += next.units;
      next.admit();
    }
  }
}

/** `composite`: a composite request, which Zoho counts as 5 concurrent calls and 1 heavy one (its heavy sub-requests count apart). */
export type RequestWeight = 'standard' | 'heavy' | 'composite';

/** Concurrency units a composite request consumes (reference §6.2). */
export const COMPOSITE_CONCURRENCY_UNITS = 5;

export class OrgLimiter {
  private readonly all: Semaphore;
  private readonly heavy = new Semaphore(SUB_CONCURRENCY);

  constructor(edition: Edition) {
    this.all = new Semaphore(EDITION_CONCURRENCY[edition]);
  }

  setEdition(edition: Edition): void {
    this.all.limit = EDITION_CONCURRENCY[edition];
    this.all.drain();
  }

  /**
   * Runs `call` holding a slot (and heavy slots for heavy calls: a composite's own plus one per heavy sub-request);
   * the heavy slots are taken first so a heavy call never blocks a standard slot while it waits for them.
   */
  async run<T>(weight: RequestWeight, heavySubRequests: number, call: () => Promise<T>): Promise<T> {
    const heavyUnits = (weight === 'standard' ? 0 : 1) + heavySubRequests;
    const units = weight === 'composite' ? COMPOSITE_CONCURRENCY_UNITS : 1;
    if (heavyUnits > 0) await this.heavy.acquire(heavyUnits);
    try {
      await this.all.acquire(units);
      try {
        return await call();
      } finally {
        this.all.release(units);
      }
    } finally {
      if (heavyUnits > 0) this.heavy.release(heavyUnits);
    }
  }
}
