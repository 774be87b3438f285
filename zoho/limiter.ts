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

/** FIFO counting semaphore: callers are served in arrival order so no activity starves under load. */
class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(public limit: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    // Hand the slot straight to the next waiter, so a newcomer cannot overtake it.
    if (this.waiting.length > 0 && this.active <= this.limit) this.waiting.shift()!();
    else this.active--;
  }

  /** Admits waiters after the limit was raised. */
  drain(): void {
    while (this.active < this.limit && this.waiting.length > 0) {
      this.active++;
      this.waiting.shift()!();
    }
  }
}

export type RequestWeight = 'standard' | 'heavy';

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

  /** Runs `call` holding a slot (and a heavy slot for heavy calls); the heavy slot is taken first so a heavy call never blocks a standard slot while it waits for one. */
  async run<T>(weight: RequestWeight, call: () => Promise<T>): Promise<T> {
    if (weight === 'heavy') await this.heavy.acquire();
    try {
      await this.all.acquire();
      try {
        return await call();
      } finally {
        this.all.release();
      }
    } finally {
      if (weight === 'heavy') this.heavy.release();
    }
  }
}
