/**
 * Ringostat's call log (`GET /calls/list`, header `Auth-key`), read for reconciliation and backfill (L1). An answer
 * holds at most 6,500 calls, so a window that comes back full is split in two and each half asked again. The
 * field names are the webhook's, so each call is read by the webhook adapter as its `end` event.
 */
import { localTimeAfter } from '../common/local-time';
import { CallLogRefused, CallLogUnreachable, type CallLog, type CallLogAccess, type CallLogPage, type TelephonyAdapter, type TimeWindow } from './provider';

/** Ringostat's documented limit of calls in one answer of `/calls/list`. */
export const RINGOSTAT_CALLS_PER_ANSWER = 6500;

/** The call-log fields the adapter reads: the same names as the webhook's parameters. */
const FIELDS = [
  'uniqueid', 'calldate', 'call_type', 'caller', 'dst', 'disposition', 'billsec', 'duration', 'recording', 'connected_with',
  'employee_number', 'employee_fio', 'pool_name', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content',
  'client_id', 'landing',
];

const ATTEMPTS = 4;
const SECOND = 1000;

/** `YYYY-MM-DD HH:MM:SS` on the project's wall clock, as `from` and `to` are written. */
function wallClock(instant: Date, timeZone: string): string {
  const local = localTimeAfter(instant.toISOString(), 0, timeZone);
  return `${local.date} ${local.isoWithOffset.slice(11, 19)}`;
}

/** The call's fields as webhook parameters: strings, with empty values left out as the shim does. */
function asParameters(call: Record<string, unknown>): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(call)) {
    if (value !== null && value !== undefined && value !== '' && typeof value !== 'object') parameters[name] = String(value);
  }
  return parameters;
}

/** The answer's calls; anything else is described by its shape only, since it may hold call data. */
function parseList(text: string): unknown[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CallLogRefused(`Ringostat answered the call-log request with something other than JSON (${text.length} characters)`);
  }
  if (Array.isArray(body)) return body;
  const shape = body && typeof body === 'object' ? `an object with keys ${Object.keys(body).slice(0, 10).join(', ')}` : typeof body;
  throw new CallLogRefused(`Ringostat answered the call-log request with ${shape}, not a list of calls`);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function ringostatCallLog(adapter: TelephonyAdapter, access: CallLogAccess): CallLog {
  const timeoutMs = access.requestTimeoutMs ?? 30_000;
  const retryDelayMs = access.retryDelayMs ?? 2_000;
  const endpoint = new URL('/calls/list', access.apiUrl);

  /** One request; 5xx, 429, timeouts and network errors are retried a few times, a 4xx is the admin's to fix. */
  async function fetchWindow(window: TimeWindow, timeZone: string): Promise<unknown[]> {
    const url = new URL(endpoint);
    url.search = new URLSearchParams({
      export_type: 'json',
      from: wallClock(window.from, timeZone),
      // `to` is inclusive to the second; windows here end exclusively.
      to: wallClock(new Date(window.to.getTime() - SECOND), timeZone),
      fields: FIELDS.join(','),
    }).toString();
    let problem = '';
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      if (attempt > 1) await pause(retryDelayMs * 2 ** (attempt - 2));
      let response: Response;
      try {
        // A redirect is not followed: fetch would send the Auth-key header on to wherever it points.
        response = await fetch(url, {
          headers: { 'Auth-key': access.apiKey, accept: 'application/json' },
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const failure = error as (Error & { cause?: NodeJS.ErrnoException }) | undefined;
        const code = failure?.cause?.code;
        problem = failure?.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `unreachable (${failure?.message ?? String(error)}${code ? `: ${code}` : ''})`;
        continue;
      }
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        const target = URL.parse(response.headers.get('location') ?? '', url.href)?.origin ?? 'nowhere';
        throw new CallLogRefused(
          `Ringostat's API at ${url.origin}${url.pathname} redirected the call-log request (HTTP ${response.status}) to ${target}, which is not followed ` +
            'with the API key: set RINGOSTAT_API_URL to the address that answers',
        );
      }
      if (response.status >= 500 || response.status === 429) {
        problem = `HTTP ${response.status}`;
        await response.body?.cancel();
        continue;
      }
      const text = await response.text();
      if (response.status === 401 || response.status === 403) {
        throw new CallLogRefused(`Ringostat refused the API key (HTTP ${response.status}): check RINGOSTAT_API_KEY (Integration → Ringostat API)`);
      }
      if (!response.ok) throw new CallLogRefused(`Ringostat refused the call-log request (HTTP ${response.status}): ${text.slice(0, 200)}`);
      return parseList(text);
    }
    throw new CallLogUnreachable(
      `Ringostat's call log at ${url.origin}${url.pathname}: ${problem} after ${ATTEMPTS} attempts; try again later, or check the network and RINGOSTAT_API_URL`,
    );
  }

  return {
    provider: adapter.provider,
    async *pages(window: TimeWindow, timeZone: string): AsyncIterable<CallLogPage> {
      // Whole seconds, both ends rounded down: the API reads times to the second, and adjacent windows still tile.
      const second = (time: Date) => new Date(Math.floor(time.getTime() / SECOND) * SECOND);
      const pending: TimeWindow[] = [{ from: second(window.from), to: second(window.to) }];
      while (pending.length > 0) {
        const next = pending.shift()!;
        if (next.to <= next.from) continue;
        const calls = await fetchWindow(next, timeZone);
        if (calls.length >= RINGOSTAT_CALLS_PER_ANSWER) {
          const span = next.to.getTime() - next.from.getTime();
          // A window is not split below the second the API reads times to, and 6,500 calls in one second are beyond
          // any call centre: an API answering this ignores the window asked for. Asking again gets the same answer,
          // so it is not retried (CallLogRefused: the scheduled run stops, the next one asks again); the admin is
          // pointed at the address.
          if (span <= SECOND) {
            throw new CallLogRefused(
              `Ringostat's call log at ${endpoint.origin}${endpoint.pathname} answered ${calls.length} calls, as many as one answer holds, for the one second ` +
                `from ${next.from.toISOString()}, so they cannot all be read: check that RINGOSTAT_API_URL is Ringostat's API, which answers for the times asked`,
            );
          }
          const middle = new Date(next.from.getTime() + Math.floor(span / 2 / SECOND) * SECOND);
          pending.unshift({ from: next.from, to: middle }, { from: middle, to: next.to });
          continue;
        }
        const receivedAt = new Date();
        yield {
          window: next,
          calls: calls.map((call) =>
            adapter.toCallEvent({ moment: 'end', parameters: asParameters(call as Record<string, unknown>), receivedAt, timeZone }),
          ),
        };
      }
    },
  };
}
