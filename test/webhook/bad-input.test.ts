/**
 * L4: bad input is refused with a 4xx naming the problem, in the `{ ok: false, errors }` shape; a 5xx means
 * "retry later" and only that. HTTP against the real shim. The shim's Temporal client points at the test server,
 * at a server that accepts connections and never answers (Temporal frozen), or at a closed port (Temporal down).
 */
import crypto from 'node:crypto';
import net from 'node:net';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildWebhookServer } from '../../http/webhook-server';
import { WrongSecrets } from '../../http/secret';
import { settingsSchema } from '../../matrix/settings-schema';

const secret = crypto.randomBytes(18).toString('base64url');
const settings = settingsSchema.parse({ employees: [] });

async function startShim(temporalAddress: string, temporalDeadlineMs = 1_000, logger = pino({ level: 'silent' })): Promise<{ url: string; app: FastifyInstance; temporal: Client }> {
  const temporal = new Client({ connection: Connection.lazy({ address: temporalAddress }), namespace: 'default' });
  const app = buildWebhookServer({
    temporal,
    taskQueue: `test-no-worker-${crypto.randomUUID()}`,
    webhookSecret: secret,
    wrongSecrets: new WrongSecrets({ trustProxy: false }),
    settings: () => settings,
    logger,
    integration: () => ({ status: 'connected' }),
    temporalDeadlineMs,
  });
  return { url: await app.listen({ host: '127.0.0.1', port: 0 }), app, temporal };
}

let shim: Awaited<ReturnType<typeof startShim>>;
beforeAll(async () => {
  shim = await startShim(process.env.TEMPORAL_ADDRESS!);
});
afterAll(async () => {
  await shim.app.close();
  await shim.temporal.connection.close();
});

function post(url: string, body: string | Buffer, { query = `event=end&secret=${secret}`, type = 'application/json' } = {}) {
  return fetch(`${url}/webhooks/ringostat?${query}`, { method: 'POST', headers: { 'content-type': type }, body });
}

async function expectRefused(response: Response, status: number, problem: RegExp): Promise<void> {
  expect(response.status).toBe(status);
  const body = (await response.json()) as { ok: boolean; errors: string[] };
  expect(body).toEqual({ ok: false, errors: [expect.stringMatching(problem)] });
}

const call = (fields: Record<string, unknown>) => JSON.stringify({ uniqueid: '1700000000.1', call_type: 'in', caller: '+380671234567', ...fields });

describe('L4: the call id becomes a workflow id, so it is short and printable', () => {
  it('a 1,100-character uniqueid is refused with 400, not 503', async () => {
    await expectRefused(await post(shim.url, call({ uniqueid: '7'.repeat(1_100) })), 400, /^uniqueid: at most 128 characters/);
  });

  it.each([['a control character', 'abc\u0007def'], ['a slash', 'a/b'], ['a space inside', 'a b'], ['a newline', '1\n2']])('a uniqueid with %s is refused', async (_what, uniqueid) => {
    await expectRefused(await post(shim.url, call({ uniqueid })), 400, /^uniqueid: only letters, digits/);
  });
});

describe('L4: JSON bodies', () => {
  it('a lone surrogate (\\ud800) is refused', async () => {
    await expectRefused(await post(shim.url, '{"uniqueid":"1","caller":"\\ud800"}'), 400, /^body: contains a lone UTF-16 surrogate/);
    await expectRefused(await post(shim.url, '{"uniqueid":"1","caller":"\\udc00\\ud800"}'), 400, /lone UTF-16 surrogate/);
  });

  it('a surrogate pair is text, and passes', async () => {
    const response = await post(shim.url, '{"uniqueid":"a b","caller":"x","employee_fio":"\\ud83d\\ude00"}');
    // Refused for the call id only: the emoji is fine.
    await expectRefused(response, 400, /^uniqueid: only letters, digits/);
  });

  it('invalid UTF-8 is refused', async () => {
    const body = Buffer.concat([Buffer.from('{"uniqueid":"1","caller":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    await expectRefused(await post(shim.url, body), 400, /^body: not valid UTF-8$/);
  });

  it('an array nested 100,000 deep is refused with 400, not 500', async () => {
    await expectRefused(await post(shim.url, '['.repeat(100_000) + ']'.repeat(100_000)), 400, /^body: nested deeper than 16 levels$/);
  });

  it('too many keys are refused', async () => {
    const many = Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`k${i}`, 'v']));
    await expectRefused(await post(shim.url, JSON.stringify(many)), 400, /^body: more than 2000 keys and array items$/);
  });

  it('a form body with too many parameters is refused too', async () => {
    const form = new URLSearchParams(Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`k${i}`, 'v']))).toString();
    await expectRefused(await post(shim.url, form, { type: 'application/x-www-form-urlencoded' }), 400, /^request: more than 2000 parameters$/);
  });

  it('malformed JSON is refused, with where it breaks', async () => {
    await expectRefused(await post(shim.url, '{"uniqueid":'), 400, /^body: malformed JSON at position 12$/);
  });

  it('nested call data deeper than the limits is ignored, not crashed on', async () => {
    const nested = '['.repeat(50_000) + ']'.repeat(50_000);
    const response = await post(shim.url, JSON.stringify({ uniqueid: 'a b', additional_call_data: nested }));
    await expectRefused(response, 400, /^uniqueid:/);
  });
});

describe('#14: the secret is checked before the body is read', () => {
  it('a wrong secret gets 401, whatever the body: malformed, or over the size limit', async () => {
    const wrong = { query: 'event=end&secret=wrong-secret-0123456789' };
    await expectRefused(await post(shim.url, '{"uniqueid":', wrong), 401, /^secret: missing or wrong/);
    await expectRefused(await post(shim.url, 'x'.repeat(3 * 1024 * 1024), wrong), 401, /^secret: missing or wrong/);
  });

  it('with the right secret, a body over the limit is 413 in the same shape', async () => {
    await expectRefused(await post(shim.url, JSON.stringify({ uniqueid: '1', pad: 'x'.repeat(2 * 1024 * 1024) })), 413, /too large/i);
  });

  it('an unsupported content type is 415 in the same shape', async () => {
    await expectRefused(await post(shim.url, '<call/>', { type: 'application/xml' }), 415, /content-type/i);
  });

  it('a JSON event sent as text/plain is 415 naming the accepted ways, not a missing uniqueid', async () => {
    const response = await post(shim.url, call({}), { type: 'text/plain' });
    await expectRefused(response, 415, /^content-type: expected application\/json or application\/x-www-form-urlencoded \(or a GET with the parameters in the query\)$/);
  });
});

describe('HEAD delivers nothing', () => {
  it('a HEAD with a valid event in its query is 404 and starts no call workflow', async () => {
    const callId = `${Date.now()}.head`;
    const query = new URLSearchParams({ event: 'end', secret, uniqueid: callId, call_type: 'in', caller: '+380671234567' });
    const response = await fetch(`${shim.url}/webhooks/ringostat?${query}`, { method: 'HEAD' });
    expect(response.status).toBe(404);
    await expect(shim.temporal.workflow.getHandle(`call:ringostat:${callId}`).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });
});

describe('L4: a 503 only when Temporal is unavailable, and within the deadline', () => {
  let blackHole: net.Server;
  const held: net.Socket[] = [];
  beforeAll(async () => {
    // Accepts connections and never answers: Temporal frozen (a stopped process, a stuck load balancer).
    blackHole = net.createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => blackHole.close(resolve));
  });

  // The deadline is 1 s here. Without it the shim would wait on Temporal's own timeouts, many seconds, or for ever;
  // the 4 s above the deadline are for a busy machine's scheduling, not for Temporal's retries.
  const DEADLINE_MS = 1_000;
  const LATEST_MS = DEADLINE_MS + 4_000;

  async function answerWithin(address: string): Promise<number> {
    const frozen = await startShim(address, DEADLINE_MS);
    try {
      const started = Date.now();
      await expectRefused(await post(frozen.url, call({})), 503, /retry/);
      return Date.now() - started;
    } finally {
      await frozen.app.close();
      await frozen.temporal.connection.close().catch(() => undefined);
    }
  }

  it('Temporal frozen: 503 at the deadline, not a hang', async () => {
    const { port } = blackHole.address() as net.AddressInfo;
    const ms = await answerWithin(`127.0.0.1:${port}`);
    expect(ms).toBeGreaterThanOrEqual(DEADLINE_MS - 5); // a timer may fire a millisecond before Date.now() says so
    expect(ms).toBeLessThan(LATEST_MS);
  });

  it('Temporal down: 503 at the deadline at the latest', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    expect(await answerWithin(`127.0.0.1:${port}`)).toBeLessThan(LATEST_MS);
  });

  it('Temporal down: one error line for many refused webhooks, with the reason and without a stack', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const lines: Record<string, unknown>[] = [];
    const down = await startShim(`127.0.0.1:${port}`, DEADLINE_MS, pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) }));
    try {
      for (let i = 0; i < 2; i += 1) expect((await post(down.url, call({ uniqueid: `${Date.now()}.${i}` }))).status).toBe(503);
      const unavailable = lines.filter((line) => line.msg === 'could not hand the call event to Temporal');
      expect(unavailable).toEqual([expect.objectContaining({ level: 50, reason: expect.any(String) })]);
      expect(unavailable[0]).not.toHaveProperty('err');
    } finally {
      await down.app.close();
      await down.temporal.connection.close().catch(() => undefined);
    }
  });

  it('a valid event is accepted by a reachable Temporal', async () => {
    const callId = `${Date.now()}.valid`;
    const response = await post(shim.url, call({ uniqueid: callId }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, outcome: 'delivered' });
    await shim.temporal.workflow.getHandle(`call:ringostat:${callId}`).terminate('test: no worker runs this call');
  });
});

it('L1: a call id sent as a JSON number keeps what was written (1714567890.10, not 1714567890.1): the call log names it so', async () => {
  const callId = `${Math.floor(Date.now() / 1000)}.10`;
  const response = await post(shim.url, `{"uniqueid":${callId},"call_type":"in","caller":"+380671234567"}`);
  expect(response.status).toBe(200);
  await expect(shim.temporal.workflow.getHandle(`call:ringostat:${callId}`).describe()).resolves.toMatchObject({ workflowId: `call:ringostat:${callId}` });
});

it('L4: a call without its id is refused naming the field as required, in plain words', async () => {
  await expectRefused(await post(shim.url, JSON.stringify({ call_type: 'in', caller: '+380671234567' })), 400, /^uniqueid: required$/);
});

describe('a webhook secret that is not URL-safe', () => {
  it('is warned of at start, without the secret; written percent-encoded in the URL it is accepted, as it is it is not', async () => {
    const plusSlash = 'ab+cd/ef=gh+ij/kl0123456789';
    const lines: string[] = [];
    const temporal = new Client({ connection: Connection.lazy({ address: process.env.TEMPORAL_ADDRESS! }), namespace: 'default' });
    const app = buildWebhookServer({
      temporal,
      taskQueue: `test-no-worker-${crypto.randomUUID()}`,
      webhookSecret: plusSlash,
      wrongSecrets: new WrongSecrets({ trustProxy: false }),
      settings: () => settings,
      logger: pino({ level: 'warn' }, { write: (line: string) => lines.push(line) }),
      integration: () => ({ status: 'connected' }),
    });
    try {
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      expect(lines.filter((line) => line.includes('CALLMATRIX_WEBHOOK_SECRET has characters that are not URL-safe'))).toHaveLength(1);
      expect(lines.join('')).not.toContain(plusSlash);
      const body = call({ uniqueid: `${Date.now()}.7` });
      expect((await post(url, body, { query: `event=end&secret=${plusSlash}` })).status).toBe(401);
      expect((await post(url, body, { query: `event=end&secret=${encodeURIComponent(plusSlash)}` })).status).toBe(200);
    } finally {
      await app.close();
      await temporal.connection.close();
    }
  });

  it('a URL-safe secret is not warned of', () => {
    const lines: string[] = [];
    const app = buildWebhookServer({
      temporal: shim.temporal,
      taskQueue: 'unused',
      webhookSecret: secret,
      wrongSecrets: new WrongSecrets({ trustProxy: false }),
      settings: () => settings,
      logger: pino({ level: 'warn' }, { write: (line: string) => lines.push(line) }),
      integration: () => ({ status: 'connected' }),
    });
    expect(lines).toEqual([]);
    return app.close();
  });
});
