import type { Clock } from './clock';

export const EDITIONS = ['free', 'standard', 'professional', 'enterprise', 'ultimate'] as const;
export type Edition = (typeof EDITIONS)[number];

/** Per-edition limits from the fact sheet §6.1/§6.2 (the Professional/Enterprise maxima follow the API-limits pages). */
const EDITION_LIMITS: Record<Edition, { concurrency: number; baseCredits: number; creditsPerUser: number; maxCredits: number }> = {
  free: { concurrency: 5, baseCredits: 5_000, creditsPerUser: 0, maxCredits: 5_000 },
  standard: { concurrency: 10, baseCredits: 50_000, creditsPerUser: 250, maxCredits: 100_000 },
  professional: { concurrency: 15, baseCredits: 50_000, creditsPerUser: 500, maxCredits: 3_000_000 },
  enterprise: { concurrency: 20, baseCredits: 50_000, creditsPerUser: 1_000, maxCredits: 5_000_000 },
  ultimate: { concurrency: 25, baseCredits: 50_000, creditsPerUser: 2_000, maxCredits: Number.POSITIVE_INFINITY },
};

/**
 * Custom fields a module may hold, by edition (fact sheet, Additions: Standard 10, Professional 155, Enterprise 300,
 * Ultimate 500). Free is not listed there; the stricter reading gives it Standard's 10.
 */
export const CUSTOM_FIELDS_PER_MODULE: Record<Edition, number> = { free: 10, standard: 10, professional: 155, enterprise: 300, ultimate: 500 };

/** Search, COQL, convert, bulk writes and sorted/cvid listing share this extra limit on every edition. */
const SUB_CONCURRENCY = 10;
const CREDIT_WINDOW_MS = 24 * 60 * 60 * 1000;

function editionConcurrency(edition: Edition): number {
  return EDITION_LIMITS[edition].concurrency;
}

function editionCredits(edition: Edition, licensedUsers: number): number {
  const l = EDITION_LIMITS[edition];
  return Math.min(l.maxCredits, l.baseCredits + l.creditsPerUser * licensedUsers);
}

export type LimitOverrides = { creditLimit?: number; concurrency?: number; subConcurrency?: number };

export interface CreditCharge {
  ok: boolean;
  /** Credits left after this call; reported to clients only once half of the day's credits are used. */
  remaining: number;
  reportRemaining: boolean;
}

/** Credits (rolling 24 h, per org) and concurrency (in-flight calls per OAuth client) of the emulated org. */
export class Limits {
  private charges: { at: number; cost: number }[] = [];
  private readonly inFlight = new Map<string, { all: number; heavy: number }>();
  private overrides: LimitOverrides = {};

  constructor(
    private readonly clock: Clock,
    private readonly edition: () => Edition,
    private readonly licensedUsers: number,
  ) {}

  get creditLimit(): number {
    return this.overrides.creditLimit ?? editionCredits(this.edition(), this.licensedUsers);
  }

  get concurrencyLimit(): number {
    return this.overrides.concurrency ?? editionConcurrency(this.edition());
  }

  get subConcurrencyLimit(): number {
    return this.overrides.subConcurrency ?? SUB_CONCURRENCY;
  }

  override(overrides: LimitOverrides): void {
    this.overrides = { ...this.overrides, ...overrides };
  }

  creditsUsed(): number {
    const since = this.clock.now() - CREDIT_WINDOW_MS;
    this.charges = this.charges.filter((c) => c.at > since);
    return this.charges.reduce((sum, c) => sum + c.cost, 0);
  }

  charge(cost: number): CreditCharge {
    const used = this.creditsUsed();
    const limit = this.creditLimit;
    if (used + cost > limit) return { ok: false, remaining: Math.max(0, limit - used), reportRemaining: true };
    this.charges.push({ at: this.clock.now(), cost });
    const usedNow = used + cost;
    return { ok: true, remaining: limit - usedNow, reportRemaining: usedNow >= limit / 2 };
  }

  /**
   * Takes `units` concurrency slots for `client` (a composite request takes 5); returns the release function, or
   * which limit is full.
   */
  acquire(client: string, heavy: boolean, units = 1): (() => void) | 'concurrency' | 'sub-concurrency' {
    const slots = this.inFlight.get(client) ?? { all: 0, heavy: 0 };
    if (slots.all + units > this.concurrencyLimit) return 'concurrency';
    if (heavy && slots.heavy >= this.subConcurrencyLimit) return 'sub-concurrency';
    slots.all += units;
    if (heavy) slots.heavy += 1;
    this.inFlight.set(client, slots);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      slots.all -= units;
      if (heavy) slots.heavy -= 1;
    };
  }

  inFlightCount(): number {
    return [...this.inFlight.values()].reduce((sum, s) => sum + s.all, 0);
  }

  reset(): void {
    this.charges = [];
    this.overrides = {};
  }
}
