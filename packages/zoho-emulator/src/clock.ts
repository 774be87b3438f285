/**
 * The emulator's notion of "now". Token expiry, grant-code life, the refresh throttle, the 24 h credit window and
 * the search-index lag all read this clock, so tests can jump an hour ahead instead of waiting for one.
 */
export class Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance the clock by ${ms} ms`);
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
