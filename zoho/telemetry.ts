/**
 * What the Zoho client reports as it works, for metrics: each CRM request's endpoint and status, token refreshes
 * and the API credits Zoho says are left. The client knows only this interface; observability/metrics.ts
 * implements it. Endpoints carry no record ids (`/Leads/{id}`), so they are safe as metric labels.
 */
export interface ZohoTelemetry {
  requested(endpoint: string, method: string, status: number): void;
  tokenRefreshed(ok: boolean): void;
  creditsRemaining(remaining: number): void;
}

export const NO_TELEMETRY: ZohoTelemetry = {
  requested() {},
  tokenRefreshed() {},
  creditsRemaining() {},
};

/** `/Leads/5843104000000012` → `/Leads/{id}`: Zoho's record ids are all digits. */
export function endpointOf(path: string): string {
  return path.replace(/\/\d+(?=\/|$)/g, '/{id}');
}
