/**
 * The one HTTP transport for Accounts and CRM calls, on Node's own http/https: keep-alive sockets (a handshake per
 * call would cost more than the call), every status handed back to the caller to interpret, and network failures,
 * timeouts and oversized answers turned into ZohoTransientError without leaking the request. Not axios: the
 * zoho-client bench runs the same contract on axios with keep-alive agents side by side, and axios spends about
 * twice the client CPU per call, which shows as lost throughput whenever the worker's core is busy (README,
 * Benchmarks).
 */
import http from 'node:http';
import https from 'node:https';
import { ZohoTransientError } from './errors';

const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/**
 * The largest answer read. Zoho's largest legitimate answers, a page of 200 records or a module's field metadata,
 * are a few MiB at most; a broken proxy or gateway answering without end must not exhaust the worker's memory.
 * A larger answer is a transient failure: the request is retried later, as after a 5xx.
 */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  params?: Record<string, string | number>;
  /** A string is sent as is (set its content-type); anything else as JSON. */
  data?: unknown;
  timeoutMs: number;
  /** What is being asked, for error messages (never includes secrets). */
  subject: string;
}

export interface TransportResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON; undefined for an empty body; the text when it is not JSON (gateway error pages). */
  data: unknown;
}

/** The request as it goes on the wire: URL with its query, headers, and the body as text. */
export function encodeRequest(request: TransportRequest): { url: URL; headers: Record<string, string | number>; body?: string } {
  const url = new URL(request.url);
  for (const [name, value] of Object.entries(request.params ?? {})) url.searchParams.set(name, String(value));
  const body = request.data === undefined ? undefined : typeof request.data === 'string' ? request.data : JSON.stringify(request.data);
  const headers: Record<string, string | number> = { accept: 'application/json', ...request.headers };
  if (body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = Buffer.byteLength(body);
  }
  return { url, headers, body };
}

export function send(request: TransportRequest): Promise<TransportResponse> {
  const { url, headers, body } = encodeRequest(request);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const fail = (what: string): void => reject(new ZohoTransientError(`${request.subject}: ${what}`));
    const call = transport.request(url, { method: request.method, headers, agent: agents[url.protocol as keyof typeof agents] }, (response) => {
      const tooLarge = (): void => {
        clearTimeout(timer);
        call.destroy();
        fail(`the answer was larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB`);
      };
      // A declared length is refused before anything is read; an undeclared one once it is reached.
      if (Number(response.headers['content-length']) > MAX_RESPONSE_BYTES) return tooLarge();
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) tooLarge();
        else chunks.push(chunk);
      });
      response.on('error', () => fail('the answer was cut off'));
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, data: parseBody(Buffer.concat(chunks).toString('utf8')) });
      });
    });
    // One deadline for the whole exchange, not an idle-socket timeout: a slow trickle must not hold a slot forever.
    const timer = setTimeout(() => {
      call.destroy();
      fail(`no answer within ${request.timeoutMs} ms`);
    }, request.timeoutMs);
    call.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      // The origin only: a path or query could hold a token.
      fail(`cannot reach ${url.origin} (${err.code ?? 'network error'})`);
    });
    call.end(body);
  });
}

export function parseBody(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
