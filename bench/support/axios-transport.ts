/**
 * The Zoho transport's contract (zoho/transport.ts) on axios with keep-alive agents (no socket limit, as there),
 * for the zoho-client bench to measure side by side with the hand-written one. Request encoding and body parsing
 * are zoho/transport.ts's own, so the HTTP machinery is the only difference.
 */
import http from 'node:http';
import https from 'node:https';
import axios from 'axios';
import { ZohoTransientError } from '../../zoho/errors';
import { encodeRequest, parseBody, type TransportRequest, type TransportResponse } from '../../zoho/transport';

const agents = { httpAgent: new http.Agent({ keepAlive: true }), httpsAgent: new https.Agent({ keepAlive: true }) };

export async function send(request: TransportRequest): Promise<TransportResponse> {
  const { url, headers, body } = encodeRequest(request);
  try {
    const response = await axios.request<string>({
      method: request.method,
      url: url.toString(),
      headers,
      data: body,
      ...agents,
      // One deadline for the whole exchange, as in zoho/transport.ts (axios's `timeout` is an idle-socket timeout).
      signal: AbortSignal.timeout(request.timeoutMs),
      // The text as received and every status returned, like zoho/transport.ts; no redirects, no proxy from the environment.
      responseType: 'text',
      transformRequest: [],
      transformResponse: [],
      validateStatus: () => true,
      maxRedirects: 0,
      proxy: false,
    });
    return { status: response.status, headers: { ...response.headers } as http.IncomingHttpHeaders, data: parseBody(response.data) };
  } catch (err) {
    if (axios.isCancel(err)) throw new ZohoTransientError(`${request.subject}: no answer within ${request.timeoutMs} ms`);
    throw new ZohoTransientError(`${request.subject}: ${(err as { code?: string }).code ?? 'network error'}`);
  }
}
