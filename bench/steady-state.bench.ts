/**
 * What an M1 call costs counted whole: the CPU each process spends while the calls run, and in the 75 s after,
 * when the work they leave behind runs — the callers' shards' sweeps now; before #15's shards, each new caller's
 * queue fired its idle timer and closed a minute after its last call. webhook-e2e's sustained figure (c) counts
 * only while the calls run, so it cannot compare the two. Each process's idle CPU (its pollers, the shards that
 * earlier calls left) is measured first and subtracted.
 *
 * Stack and CPUs as webhook-e2e: the Temporal dev server, the shim and the load generator on CPU 0; the worker and
 * the Zoho emulator (50 ms) on CPU 1.
 */
import { SEPARATED } from './support/cpu-layout';
import { cpuMeter } from './support/cpu-time';
import { closedLoopWith, throughShim } from './support/closed-loop';
import { progress, round, sleep, type Report } from './support/report';
import { startBenchStack } from './support/stack';

const CALLS = 300;
const IN_FLIGHT = 16;
/** Longer than anything a call leaves behind: a per-caller queue ended a minute after its last turn. */
const AFTER_MS = 75_000;
const IDLE_MS = 30_000;

const log = (line: string) => progress(`[steady-state] ${line}`);
const closedLoop = closedLoopWith(log);

/** Sleeps `ms`, saying every 15 s how much is left. */
async function waitSaying(what: string, ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 15_000) {
    log(`${what}: ${Math.round(left / 1000)} s left`);
    await sleep(Math.min(left, 15_000));
  }
}

export async function run(report: Report): Promise<void> {
  const stack = await startBenchStack({ latencyMs: 50, layout: SEPARATED });
  const processes = { 'Temporal dev server': stack.temporalPid, worker: stack.workerPid, 'webhook shim': stack.shimPid, 'Zoho emulator': stack.emulatorPid };
  try {
    await closedLoop(5, 1, throughShim(stack));
    await waitSaying('the warm-up calls settle', AFTER_MS);
    let meter = cpuMeter(processes);
    await waitSaying('idle CPU', IDLE_MS);
    const idle = meter.stop();

    log(`${CALLS} new-client calls, ${IN_FLIGHT} at a time…`);
    meter = cpuMeter(processes);
    const startedAt = Date.now();
    const loop = await closedLoop(CALLS, IN_FLIGHT, throughShim(stack));
    const runningMs = Date.now() - startedAt;
    const running = meter.stop();
    meter = cpuMeter(processes);
    await waitSaying('what the calls left behind', AFTER_MS);
    const after = meter.stop();

    report({ metric: `calls/s (M1, ${CALLS} calls, ${IN_FLIGHT} in flight)${loop.shortfall}`, value: round(loop.perSecond) });
    let whole = 0;
    for (const name of Object.keys(running)) {
      const idlePerMs = (idle[name] ?? 0) / IDLE_MS;
      const whileRunning = (running[name] - idlePerMs * runningMs) / loop.done;
      const afterwards = ((after[name] ?? 0) - idlePerMs * AFTER_MS) / loop.done;
      whole += whileRunning + afterwards;
      report({
        process: name,
        idle_ms_per_s: round(idlePerMs * 1000),
        while_running_ms_per_call: round(whileRunning),
        after_ms_per_call: round(afterwards),
        whole_ms_per_call: round(whileRunning + afterwards),
      });
    }
    report({ metric: 'CPU per M1 call counted whole, all processes (ms)', value: round(whole) });
  } finally {
    await stack.stop();
  }
}
