/**
 * Which CPUs the bench's processes run on (Linux `taskset`, every thread of a process). On this 2-core machine the
 * webhook-e2e bench separates them as `docker-compose.yml` separates the services:
 *
 * - CPU 0, the acknowledgement path: the Temporal dev server and the webhook shim, and the load generator (the
 *   bench process, standing in for Ringostat: about 2 ms of CPU per call, and its send times must not queue
 *   behind a busy worker, since a late send counts as acknowledgement latency);
 * - CPU 1, the writing side: the worker, and the Zoho emulator (standing in for Zoho, which only the worker
 *   talks to).
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface CpuLayout {
  temporal: string;
  shim: string;
  loadGenerator: string;
  worker: string;
  emulator: string;
}

export const SEPARATED: CpuLayout = { temporal: '0', shim: '0', loadGenerator: '0', worker: '1', emulator: '1' };

/** Every core of the machine, to undo a pin. */
export const allCores = (): string => `0-${os.cpus().length - 1}`;

/** Pins a process (all its threads) to `cores`; false where taskset is missing or the core does not exist. */
export function pin(pid: number | undefined, cores: string): boolean {
  if (pid === undefined) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cores, String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The layout as one line for the report, e.g. `CPU 0: Temporal, shim, load generator; CPU 1: worker, emulator`. */
export function describeLayout(layout: CpuLayout): string {
  const byCore = new Map<string, string[]>();
  const names: Record<keyof CpuLayout, string> = { temporal: 'Temporal', shim: 'shim', loadGenerator: 'load generator', worker: 'worker', emulator: 'emulator' };
  for (const [role, cores] of Object.entries(layout) as [keyof CpuLayout, string][]) byCore.set(cores, [...(byCore.get(cores) ?? []), names[role]]);
  return [...byCore].map(([cores, roles]) => `CPU ${cores}: ${roles.join(', ')}`).join('; ');
}
