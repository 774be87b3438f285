/**
 * A local Ringostat call-log API, for reconciliation tests and the chaos bench (L1): `GET /calls/list` with the
 * `Auth-key` header, `export_type=json`, `from`/`to` as `YYYY-MM-DD HH:MM:SS` (inclusive wall-clock times, compared
 * with each `calldate` as written: the project's zone is the one the test writes `calldate` in), `fields=`, and at
 * most 6,500 calls per answer, as Ringostat documents. A wrong key gets 401; 5xx answers and slow answers can be
 * injected. Plain node:http, so it carries no dependency of its own.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call of the log, under Ringostat's field names; `uniqueid` and `calldate` (`YYYY-MM-DD HH:MM:SS`) are required. */
export type LoggedCall = Record<string, string | number> & { uniqueid: string; calldate: string };

export interface RingostatEmulatorOptions {
  /** The key the `Auth-key` header must carry. */
  apiKey: string;
  /** 0 = a free port (default). */
  port?: number;
  host?: string;
  /** Calls in one answer at most (default 6,500, Ringostat's limit). */
  callsPerAnswer?: number;
}

/** What the emulator was asked, for tests that check paging. */
export interface LoggedRequest {
  from: string;
  to: string;
  status: number;
  calls: number;
}

export interface RingostatEmulator {
  url: string;
  /** Adds calls to the log (the telephony saw them, whatever happened to their webhooks). */
  addCalls(calls: LoggedCall[]): void;
  /** The next `count` requests are answered with `status` (a 5xx, or 429). */
  failNext(count: number, status?: number): void;
  /** The next `count` requests are answered only after `ms` milliseconds. */
  delayNext(count: number, ms: number): void;
  requests(): LoggedRequest[];
  close(): Promise<void>;
}

export const CALLS_PER_ANSWER = 6500;
const WALL_CLOCK = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

function send(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startRingostatEmulator(options: RingostatEmulatorOptions): Promise<RingostatEmulator> {
  const cap = options.callsPerAnswer ?? CALLS_PER_ANSWER;
  const calls: LoggedCall[] = [];
  const requests: LoggedRequest[] = [];
  const failures: number[] = [];
  const delays: number[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const answerCallList = (url: URL, response: http.ServerResponse, key: string | undefined) => {
    const from = url.searchParams.get('from') ?? '';
    const to = url.searchParams.get('to') ?? '';
    const answer = (status: number, body: unknown, count = 0) => {
      requests.push({ from, to, status, calls: count });
      send(response, status, body);
    };
    const failure = failures.shift();
    if (failure !== undefined) return answer(failure, { error: 'Internal server error' });
    if (key !== options.apiKey) return answer(401, { error: 'Unauthorized: wrong or missing Auth-key' });
    if (url.searchParams.get('export_type') !== 'json') return answer(400, { error: 'export_type: only json is emulated' });
    if (!WALL_CLOCK.test(from) || !WALL_CLOCK.test(to)) return answer(400, { error: 'from, to: expected YYYY-MM-DD HH:MM:SS' });
    const fields = url.searchParams.get('fields')?.split(',').filter(Boolean);
    const found = calls
      .filter((call) => call.calldate >= from && call.calldate <= to)
      .sort((a, b) => a.calldate.localeCompare(b.calldate))
      .slice(0, cap)
      .map((call) => (fields ? Object.fromEntries(fields.filter((f) => f in call).map((f) => [f, call[f]])) : call));
    answer(200, found, found.length);
  };

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://emulator');
    if (request.method !== 'GET' || url.pathname !== '/calls/list') return send(response, 404, { error: 'not found' });
    const key = request.headers['auth-key'];
    const respond = () => answerCallList(url, response, Array.isArray(key) ? key[0] : key);
    const delay = delays.shift();
    if (delay) setTimeout(respond, delay);
    else respond();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    addCalls: (added) => void calls.push(...added),
    failNext: (count, status = 503) => void failures.push(...Array<number>(count).fill(status)),
    delayNext: (count, ms) => void delays.push(...Array<number>(count).fill(ms)),
    requests: () => [...requests],
    close: () =>
      new Promise<void>((resolve) => {
        // A delayed answer still pending must not keep the process alive.
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** `YYYY-MM-DD HH:MM:SS` in UTC: a call time of a project on UTC. */
export function ringostatTime(instant: Date): string {
  return instant.toISOString().slice(0, 19).replace('T', ' ');
}
