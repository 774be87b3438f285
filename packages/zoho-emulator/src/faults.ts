/**
 * Faults injected at run time. An error fault answers matching CRM calls with a given status before they do
 * anything; a timeout-after-commit fault lets a matching write commit and then drops the connection without a
 * response, which is what a client sees when Zoho commits an insert and the network loses the answer; a hold
 * keeps matching calls in flight, holding their concurrency slots, until the faults are cleared (a Zoho that
 * stalls, for as long as a test needs, without racing a timer).
 */
export interface FaultMatch {
  method?: string;
  /** CRM module API name in the path (e.g. `Leads`). */
  module?: string;
  /** Substring of the request path. */
  path?: string;
}

export interface ErrorFault {
  kind: 'error';
  /** 500 answers Zoho's `INTERNAL_ERROR` JSON; 502/503 answer a gateway's HTML page, unless `code` is given. */
  status: number;
  code?: string;
  message?: string;
  /** Fail the next `count` matching calls; without it the fault stays until cleared. */
  count?: number;
  /** Probability (0..1) that a matching call fails; default 1. */
  rate?: number;
  match?: FaultMatch;
}

export interface TimeoutAfterCommitFault {
  kind: 'timeout-after-commit';
  /** Applies to the next `count` matching writes (default 1). */
  count?: number;
  /** How long the connection stays open, silent, before it is destroyed (default 0). */
  delayMs?: number;
  match?: FaultMatch;
}

export interface HoldFault {
  kind: 'hold';
  match?: FaultMatch;
}

export type FaultSpec = ErrorFault | TimeoutAfterCommitFault | HoldFault;
export type ActiveFault = FaultSpec & { id: number; remaining: number | null };

export interface FaultTarget {
  method: string;
  path: string;
  module?: string;
}

function matches(match: FaultMatch | undefined, target: FaultTarget): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== target.method) return false;
  if (match.module && match.module !== target.module) return false;
  if (match.path && !target.path.includes(match.path)) return false;
  return true;
}

export class Faults {
  private faults: ActiveFault[] = [];
  private nextId = 1;
  /** Calls waiting on a hold, released together when the faults are cleared. */
  private held: (() => void)[] = [];

  add(spec: FaultSpec): ActiveFault {
    const count = spec.kind === 'timeout-after-commit' ? (spec.count ?? 1) : spec.kind === 'error' ? spec.count : undefined;
    const fault = { ...spec, id: this.nextId++, remaining: count ?? null };
    this.faults.push(fault);
    return fault;
  }

  list(): ActiveFault[] {
    return this.faults;
  }

  /** Removes every fault and releases the calls held meanwhile. */
  clear(): void {
    this.faults = [];
    for (const release of this.held.splice(0)) release();
  }

  /** Settles once the hold matching `target` is cleared; at once when none matches. */
  async hold(target: FaultTarget): Promise<void> {
    if (!this.faults.some((f) => f.kind === 'hold' && matches(f.match, target))) return;
    await new Promise<void>((release) => this.held.push(release));
  }

  takeError(target: FaultTarget): ErrorFault | undefined {
    return this.take('error', target, (f) => Math.random() < (f.rate ?? 1));
  }

  takeTimeoutAfterCommit(target: FaultTarget): TimeoutAfterCommitFault | undefined {
    return this.take('timeout-after-commit', target, () => true);
  }

  private take<K extends FaultSpec['kind']>(kind: K, target: FaultTarget, fires: (f: Extract<FaultSpec, { kind: K }>) => boolean): Extract<FaultSpec, { kind: K }> | undefined {
    const fault = this.faults.find((f): f is ActiveFault & Extract<FaultSpec, { kind: K }> => f.kind === kind && matches(f.match, target));
    if (!fault || !fires(fault)) return undefined;
    if (fault.remaining !== null) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    }
    return fault;
  }
}
