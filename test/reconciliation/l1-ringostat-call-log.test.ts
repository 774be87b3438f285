/**
 * L1: Ringostat's call log read over real HTTP from the Ringostat emulator: paged by time window, a window that
 * hits the 6,500-call cap split until every call is read, a wrong key refused at once (no retry storm), 5xx and
 * slow answers retried.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ringostatTime, startRingostatEmulator, type LoggedCall, type RingostatEmulator } from '@callmatrix/ringostat-emulator';
import { ringostatAdapter } from '../../telephony/ringostat';
import { ActionableError } from '../../config/config-error';
import { CallLogRefused, CallLogUnreachable, type CallLog, type CallLogAccess, type TimeWindow } from '../../telephony/provider';
import { useRefusedPorts } from '../support/refused-ports';

const KEY = 'test-ringostat-key';
const refusedPort = useRefusedPorts();
const HOUR = { from: new Date('2026-11-01T10:00:00Z'), to: new Date('2026-11-01T11:00:00Z') };

let ringostat: RingostatEmulator;
beforeEach(async () => {
  ringostat = await startRingostatEmulator({ apiKey: KEY });
});
afterEach(async () => ringostat.close());

const open = (access: Partial<CallLogAccess> = {}): CallLog =>
  ringostatAdapter.openCallLog!({ apiUrl: ringostat.url, apiKey: KEY, retryDelayMs: 10, ...access });

async function readAll(log: CallLog, window: TimeWindow = HOUR) {
  const pages = [];
  for await (const page of log.pages(window, 'UTC')) pages.push(page);
  return pages;
}

function callsIn(window: TimeWindow, count: number, prefix: string): LoggedCall[] {
  const span = window.to.getTime() - window.from.getTime();
  return Array.from({ length: count }, (_, i) => ({
    uniqueid: `${prefix}.${i}`,
    calldate: ringostatTime(new Date(window.from.getTime() + Math.floor((i * span) / count))),
    call_type: 'in',
    caller: '+380671234567',
    disposition: 'ANSWERED',
    billsec: 42,
  }));
}

it('L1: reads every call of the window as an end event, and nothing outside it', async () => {
  ringostat.addCalls([
    ...callsIn(HOUR, 3, 'inside'),
    { uniqueid: 'before', calldate: '2026-11-01 09:59:59', disposition: 'ANSWERED', billsec: 3 },
    { uniqueid: 'at-the-end', calldate: '2026-11-01 11:00:00', disposition: 'ANSWERED', billsec: 3 },
  ]);
  const pages = await readAll(open());
  const events = pages.flatMap((p) => p.calls).map((c) => (c.ok ? c.event : undefined));
  expect(events.map((e) => e?.callId)).toEqual(['inside.0', 'inside.1', 'inside.2']);
  expect(events[0]).toMatchObject({ provider: 'ringostat', moment: 'end', outcome: 'answered', talkSeconds: 42, clientNumber: '+380671234567' });
  expect(ringostat.requests()).toEqual([{ from: '2026-11-01 10:00:00', to: '2026-11-01 10:59:59', status: 200, calls: 3 }]);
});

it('L1: a window holding more than 6,500 calls is split until every call is read, each once', async () => {
  ringostat.addCalls(callsIn(HOUR, 9000, 'busy'));
  const pages = await readAll(open());
  const ids = pages.flatMap((p) => p.calls).map((c) => (c.ok ? c.event.callId : 'invalid'));
  expect(ids).toHaveLength(9000);
  expect(new Set(ids).size).toBe(9000);
  const answers = ringostat.requests();
  // The whole hour came back full (6,500), so it was asked again in halves.
  expect(answers[0]).toMatchObject({ from: '2026-11-01 10:00:00', to: '2026-11-01 10:59:59', calls: 6500 });
  expect(answers.slice(1).map((a) => a.calls)).toEqual([4500, 4500]);
});

it('L1: 6,500 calls within one second cannot be paged: CallLogRefused at once, not retried, naming RINGOSTAT_API_URL', async () => {
  const second = { from: new Date('2026-11-01T10:00:00Z'), to: new Date('2026-11-01T10:00:01Z') };
  ringostat.addCalls(callsIn(second, 6500, 'one-second'));
  const error = (await readAll(open(), second).catch((e: unknown) => e)) as Error;
  // Refused: asking again gets the same answer, so the scheduled run stops (non-retryable) and the CLI says it in words.
  expect(error).toBeInstanceOf(CallLogRefused);
  expect(error).toBeInstanceOf(ActionableError);
  expect(error.message).toBe(
    `Ringostat's call log at ${new URL('/calls/list', ringostat.url).href} answered 6500 calls, as many as one answer holds, for the one second ` +
      "from 2026-11-01T10:00:00.000Z, so they cannot all be read: check that RINGOSTAT_API_URL is Ringostat's API, which answers for the times asked",
  );
  expect(ringostat.requests()).toHaveLength(1);
});

it('L1: a wrong key is refused at once, naming the variable, with a single request', async () => {
  await expect(readAll(open({ apiKey: 'wrong' }))).rejects.toThrow(CallLogRefused);
  await expect(readAll(open({ apiKey: 'wrong' }))).rejects.toThrow(/HTTP 401.*RINGOSTAT_API_KEY/);
  expect(ringostat.requests().map((r) => r.status)).toEqual([401, 401]);
});

it('L1: a redirect is not followed with the key: the request fails at once, naming the URL and not the key', async () => {
  /** A plain HTTP server that records the headers it is sent and answers with `answer`. */
  const server = async (answer: (response: http.ServerResponse) => void) => {
    const headers: http.IncomingHttpHeaders[] = [];
    const listening = http.createServer((request, response) => {
      headers.push(request.headers);
      answer(response);
    });
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(listening.address() as AddressInfo).port}`, headers, close: () => new Promise((resolve) => listening.close(resolve)) };
  };
  const elsewhere = await server((response) => response.writeHead(200, { 'content-type': 'application/json' }).end('[]'));
  const moved = await server((response) => response.writeHead(302, { location: `${elsewhere.url}/calls/list` }).end());
  try {
    const error = await readAll(open({ apiUrl: moved.url })).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(CallLogRefused);
    expect((error as Error).message).toMatch(new RegExp(`${moved.url}/calls/list redirected the call-log request \\(HTTP 302\\) to ${elsewhere.url}`));
    expect((error as Error).message).not.toContain(KEY);
    expect(moved.headers).toHaveLength(1); // refused at once, not retried
    expect(elsewhere.headers).toEqual([]); // the key went nowhere else
  } finally {
    await moved.close();
    await elsewhere.close();
  }
});

it('L1: 5xx answers are retried, and persistent ones end in an error naming the API', async () => {
  ringostat.addCalls(callsIn(HOUR, 2, 'retry'));
  ringostat.failNext(2, 503);
  const pages = await readAll(open());
  expect(pages.flatMap((p) => p.calls)).toHaveLength(2);
  expect(ringostat.requests().map((r) => r.status)).toEqual([503, 503, 200]);

  ringostat.failNext(10, 502);
  await expect(readAll(open())).rejects.toThrow(/HTTP 502 after 4 attempts/);
});

it('L1: an API that cannot be reached is CallLogUnreachable, a sentence naming the URL and RINGOSTAT_API_URL', async () => {
  const apiUrl = `http://127.0.0.1:${await refusedPort()}`;
  const error = (await readAll(open({ apiUrl })).catch((e: unknown) => e)) as Error;
  // An ActionableError: the CLI prints its message alone, without a stack trace.
  expect(error).toBeInstanceOf(CallLogUnreachable);
  expect(error).toBeInstanceOf(ActionableError);
  expect(error.message).toBe(
    `Ringostat's call log at ${apiUrl}/calls/list: unreachable (fetch failed: ECONNREFUSED) after 4 attempts; try again later, or check the network and RINGOSTAT_API_URL`,
  );
});

it('L1: a slow answer times out and is asked again', async () => {
  ringostat.addCalls(callsIn(HOUR, 1, 'slow'));
  const slowMs = 3_000;
  ringostat.delayNext(1, slowMs);
  const started = Date.now();
  const pages = await readAll(open({ requestTimeoutMs: 300 }));
  expect(pages.flatMap((p) => p.calls)).toHaveLength(1);
  // Sooner than the slow answer came: the reader gave up on it (its 300 ms) and asked again, however busy the host.
  expect(Date.now() - started).toBeLessThan(slowMs);
});
