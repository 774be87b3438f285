/**
 * CPU time of the bench's processes (user + system, all threads), from /proc on Linux, to tell how much of a
 * call's cost each process carries. Elsewhere nothing is measured.
 */
import fs from 'node:fs';

/** Linux reports /proc/<pid>/stat times in clock ticks of USER_HZ, 100 per second on every common platform. */
const TICK_MS = 10;

/** CPU milliseconds the process has used so far, or undefined when /proc cannot tell. */
export function cpuTimeMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/** Starts counting the CPU time of the named processes; `stop` returns each one's milliseconds since. */
export function cpuMeter(processes: Record<string, number | undefined>): { stop(): Record<string, number> } {
  const start = Object.entries(processes).map(([name, pid]) => [name, pid, pid === undefined ? undefined : cpuTimeMs(pid)] as const);
  return {
    stop() {
      const used: Record<string, number> = {};
      for (const [name, pid, before] of start) {
        const after = pid === undefined ? undefined : cpuTimeMs(pid);
        if (before !== undefined && after !== undefined) used[name] = after - before;
      }
      return used;
    },
  };
}
