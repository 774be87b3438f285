/** Small helpers every bench shares: progress on stderr, percentiles, rounding. */

/** Progress goes to stderr, so stdout holds only the final tables. */
export function progress(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

/** Nearest-rank percentile of ascending `sorted`; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

export const ascending = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export type Report = (row: Record<string, string | number>) => void;
