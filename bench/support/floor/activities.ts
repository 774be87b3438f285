/** The floor workflow's activities: each returns at once, so what they cost is Temporal's own work. */
export async function loadContext(): Promise<number> {
  return 1;
}

export async function lookup(): Promise<number> {
  return 1;
}

export async function write(): Promise<number> {
  return 1;
}
