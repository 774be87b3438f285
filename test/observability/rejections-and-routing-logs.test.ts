/**
 * #12 item 3: rejected webhooks and 401s are logged, at most once a minute per kind, so a stranger cannot flood
 * the log; the routing line carries its `component` once; routing answers are timed and counted (#12 item 1).
 * Real HTTP on real servers; the webhook shim is connected to the test Temporal server (rejections never reach it).
 */
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import axios from 'axios';
import Fastify from 'fastify';
import pino from 'pino';
import { registerRouting, ROUTING_PATH } from '../../http/routing';
import { buildWebhookServer } from '../../http/webhook-server';
import { WrongSecrets } from '../../http/secret';
import { settingsSchema } from '../../matrix/settings-schema';
import { createMetrics } from '../../observability/metrics';
import { createZohoClient } from '../../zoho';

const SECRET = 'a-webhook-secret-of-length';
const raw: string[] = [];
const memory = new Writable({
  write(chunk: Buffer, _encoding, done) {
    raw.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});
const logger = pino({ level: 'info' }, memory);
const parsed = () => raw.map((line) => JSON.parse(line) as Record<string, unknown>);
const settings = settingsSchema.parse({ seniorManager: { zohoUserId: '1' }, employees: [{ code: '101', name: 'Ivan', zohoUserId: '2', extensions: ['101'] }] });

let connection: Connection;
beforeAll(async () => {
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
});
afterAll(async () => connection?.close());
beforeEach(() => {
  raw.length = 0;
});

/** The webhook shim on the test Temporal server, logging into `raw`; `post` sends a body as is. */
async function startShim(metrics?: ReturnType<typeof createMetrics>) {
  const app = buildWebhookServer({
    temporal: new Client({ connection }),
    taskQueue: 'unused',
    webhookSecret: SECRET,
    wrongSecrets: new WrongSecrets({ trustProxy: false }),
    settings: () => settings,
    logger,
    integration: () => ({ state: 'connected' }) as never,
    metrics,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/webhooks/ringostat`;
  const post = (params: Record<string, string>, body: string) =>
    // Sent as is: axios would turn a string that is not JSON into a JSON string.
    axios.post<string>(url, body, {
      params,
      headers: { 'content-type': 'application/json' },
      validateStatus: () => true,
      transformRequest: [(data: string) => data],
      responseType: 'text',
    });
  return { app, post };
}

it('logs a wrong secret, a malformed body and a missing event once each, however often they come', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  const { app, post } = await startShim(metrics);
  try {
    for (let i = 0; i < 5; i++) expect((await post({ event: 'end', secret: 'wrong' }, '{}')).status).toBe(401);
    for (let i = 0; i < 3; i++) expect((await post({ event: 'end', secret: SECRET }, '{"uniqueid": ')).status).toBe(400);
    for (let i = 0; i < 3; i++) expect((await post({ secret: SECRET }, '{}')).status).toBe(400);

    const warnings = parsed().filter((line) => line.level === 40);
    expect(warnings.map((line) => line.msg)).toEqual([
      'webhook rejected: missing or wrong secret (401)',
      expect.stringMatching(/^webhook rejected: .*JSON/i),
      'webhook rejected: no valid ?event= in the URL (400)',
    ]);
    expect(raw.join('\n')).not.toContain('wrong"'); // the secret given is not logged
    const text = await metrics.registry.getSingleMetricAsString('callmatrix_webhook_responses_total');
    expect(text).toContain('callmatrix_webhook_responses_total{code="401"} 5');
    expect(text).toContain('callmatrix_webhook_responses_total{code="400"} 6');
  } finally {
    await app.close();
  }
});

it("refuses malformed JSON with its position only: neither the answer nor the log line quotes the caller's number", async () => {
  const { app, post } = await startShim();
  try {
    // V8's own message for this body quotes `x380671234`.
    const response = await post({ event: 'end', secret: SECRET }, '{"uniqueid": "1", "caller": x380671234567}');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.data)).toEqual({ ok: false, errors: ['body: malformed JSON at position 28'] });
    const warning = parsed().find((line) => line.level === 40);
    expect(warning).toMatchObject({ msg: 'webhook rejected: body: malformed JSON at position 28' });
    const pieces = Array.from({ length: 7 }, (_, i) => '380671234567'.slice(i, i + 6));
    for (const text of [response.data, ...raw.filter((line) => line.includes('rejected'))]) {
      for (const piece of pieces) expect(text).not.toContain(piece);
    }
  } finally {
    await app.close();
  }
});

it('writes the routing line with one component key, and times and counts the decision', async () => {
  const metrics = createMetrics({ defaultMetrics: false });
  const app = Fastify();
  registerRouting(app, {
    // Never asked: the integration is broken, so routing answers "continue" at once (R1).
    zoho: createZohoClient({ credentials: { current: async () => null }, logger }),
    settings: () => settings,
    webhookSecret: SECRET,
    wrongSecrets: new WrongSecrets({ trustProxy: false }),
    integrationBroken: () => true,
    logger: logger.child({ component: 'routing' }),
    metrics,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}${ROUTING_PATH}`;
  try {
    await axios.post(url, { caller: '+380671234567' }, { params: { secret: SECRET }, validateStatus: () => true });
    expect((await axios.post(url, {}, { params: { secret: 'wrong' }, validateStatus: () => true })).status).toBe(401);
    const line = raw.find((l) => l.includes('routing answered'))!;
    expect(line.match(/"component"/g)).toHaveLength(1);
    expect(JSON.parse(line)).toMatchObject({ component: 'routing', decision: 'continue:integration-broken' });
    expect(parsed().some((l) => l.msg === 'routing request rejected: missing or wrong secret (401)')).toBe(true);
    expect(await metrics.registry.getSingleMetricAsString('callmatrix_routing_decisions_total')).toContain(
      'callmatrix_routing_decisions_total{decision="continue:integration-broken"} 1',
    );
    expect(await metrics.registry.getSingleMetricAsString('callmatrix_routing_request_duration_seconds')).toContain(
      'callmatrix_routing_request_duration_seconds_count 1',
    );
  } finally {
    await app.close();
  }
});
