/**
 * The floor workflow's activities: each returns at once, so what they cost is Temporal's own work; or, given a
 * Zoho latency, the lookup and the write first wait that long, as the M1 call's read and write wait for Zoho.
 */
const wait = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

export async function loadContext(): Promise<number> {
  return 1;
}

export async function lookup(zohoLatencyMs = 0): Promise<number> {
  await wait(zohoLatencyMs);
  return 1;
}

/** When the write ended (epoch ms, this machine's clock), as the emulator's log times the M1 call's last write. */
export async function write(zohoLatencyMs = 0): Promise<number> {
  await wait(zohoLatencyMs);
  return Date.now();
}
