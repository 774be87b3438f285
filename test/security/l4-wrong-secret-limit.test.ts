/**
 * L4, [Security]: wrong shared secrets are limited per source. A source that sent WRONG_SECRETS.limit wrong webhook
 * secrets or codec tokens in the window is answered 429 with Retry-After (a 4xx naming the problem, never a 5xx),
 * on every endpoint of the process, and counted by endpoint. A request with the right secret is still served from
 * that source: Ringostat's senders share a few addresses with whoever else sends from them, and a refused webhook is
 * not re-sent after three tries. Other sources keep their own budget. The app as production wires it (call
 * harness), behind a proxy (CALLMATRIX_TRUST_PROXY) so X-Forwarded-For gives each request its source; the call
 * is asserted on the CRM's records.
 */
import crypto from 'node:crypto';
import pino from 'pino';
import { portToListenOn } from '../support/listen-ports';
import { WRONG_SECRETS } from '../../http/secret';
import { createMetrics } from '../../observability/metrics';
import { CLIENT, incomingCall } from '../scenarios/scenario-kit';
import { startCallHarness, type CallHarness } from '../support/call-harness';

const CODEC_TOKEN = crypto.randomBytes(24).toString('base64url');
const metrics = createMetrics({ defaultMetrics: false });
let h: CallHarness;
let codecUrl = '';
beforeAll(async () => {
  const codecPort = await portToListenOn();
  h = await startCallHarness({ trustProxy: true, codec: { port: codecPort, origins: [], token: CODEC_TOKEN }, observe: { metrics, logger: pino({ level: 'silent' }) } });
  codecUrl = `http://127.0.0.1:${codecPort}`;
});
afterAll(async () => h?.stop());

const json = (source: string, extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', 'x-forwarded-for': source, ...extra });
const webhook = (source: string, secret: string, parameters: Record<string, string> = {}) =>
  fetch(`${h.webhookUrl}/webhooks/ringostat?event=end&secret=${secret}`, { method: 'POST', headers: json(source), body: JSON.stringify(parameters) });
const routing = (source: string, secret: string) =>
  fetch(`${h.webhookUrl}/routing/ringostat?secret=${secret}`, { method: 'POST', headers: json(source), body: JSON.stringify({ caller: CLIENT, call_id: crypto.randomUUID() }) });
const decode = (source: string, token: string) => fetch(`${codecUrl}/decode`, { method: 'POST', headers: json(source, { authorization: `Bearer ${token}` }), body: '{"payloads":[]}' });
/** Sends WRONG_SECRETS.limit wrong secrets, each refused 401, then one more: its 429, which says when to come back. */
async function exhaustBudget(sendWrong: (attempt: number) => Promise<Response>): Promise<Response> {
  for (let i = 0; i < WRONG_SECRETS.limit; i += 1) expect((await sendWrong(i)).status).toBe(401);
  const refused = await sendWrong(WRONG_SECRETS.limit);
  expect(refused.status).toBe(429);
  expect(refused.headers.get('retry-after')).toBe(String(WRONG_SECRETS.windowMs / 1000));
  return refused;
}
/** callmatrix_secret_limit_refusals_total{endpoint}. */
const limited = async (endpoint: string) =>
  (await metrics.registry.getSingleMetric('callmatrix_secret_limit_refusals_total')!.get()).values.find((sample) => sample.labels.endpoint === endpoint)?.value ?? 0;

it('L4, [Security]: past its budget of wrong secrets a source gets 429 on the webhook and routing; its right webhook is still written, and other sources keep their 401', async () => {
  // A stranger guessing from the address Ringostat's webhooks come from.
  const shared = '203.0.113.7';
  const refused = await exhaustBudget((i) => webhook(shared, `wrong-secret-${i}`));
  expect(await refused.json()).toEqual({ ok: false, errors: [expect.stringMatching(/^secret: missing or wrong, and too many wrong ones came from this address; retry in 15 minutes/)] });
  expect((await routing(shared, 'wrong-secret')).status).toBe(429);

  // Ringostat, from the same address, with the right secret: accepted, and the call written (M1).
  const callId = h.uniqueCallId();
  const accepted = await webhook(shared, h.secret, incomingCall(callId));
  expect(accepted.status).toBe(200);
  expect((await routing(shared, h.secret)).status).toBe(200);
  expect(await h.result(callId)).toMatchObject({ status: 'written', plan: { rule: 'M1' } });
  expect((await h.records('Leads')).filter((lead) => lead.Phone === CLIENT)).toHaveLength(1);

  // Another source's wrong secret is its own first: 401, not 429.
  expect((await webhook('198.51.100.9', 'wrong-secret')).status).toBe(401);
  expect([await limited('webhook'), await limited('routing')]).toEqual([1, 1]);
});

it('L4, [Security]: the codec server likewise: 429 past the budget of wrong tokens, the right token still decodes from that source, other sources get 401', async () => {
  const source = '203.0.113.8';
  const refused = await exhaustBudget((i) => decode(source, `wrong-token-${i}`));
  expect(await refused.json()).toEqual({ error: 'too many wrong tokens; retry later' });

  const served = await decode(source, CODEC_TOKEN);
  expect(served.status).toBe(200);
  expect(await served.json()).toEqual({ payloads: [] });
  expect((await decode('198.51.100.10', 'wrong-token')).status).toBe(401);
  expect(await limited('codec')).toBe(1);
});
