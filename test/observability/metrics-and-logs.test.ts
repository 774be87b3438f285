/**
 * #12 items 1 and 3 on real parts: webhooks through the real shim, the call workflow on the real Temporal server,
 * records in the Zoho emulator. After calls, the shim's /metrics, on its own listener (CALLMATRIX_METRICS_PORT),
 * shows the counters moved (calls by status, rule and scenario; webhook answers; Zoho requests; suspended calls),
 * no label value is a phone number, a call id or a record id, and the worker logged one info line per outcome with
 * what an operator needs. The public webhook port serves no metrics: they are the company's business; nor why the
 * integration broke and since when, which the metrics listener's /healthz/integration tells the operator.
 */
import { Writable } from 'node:stream';
import axios from 'axios';
import pino from 'pino';
import { createMetrics } from '../../observability/metrics';
import { runningCalls } from '../../observability/running-calls';
import { suspendedCalls } from '../../observability/suspended-calls';
import { callWorkflowId } from '../../temporal/contracts';
import type { CallStatus } from '../../temporal/call-status';
import { startCallHarness, type CallHarness } from '../support/call-harness';
import { incomingCall, ringing } from '../scenarios/scenario-kit';

const lines: Record<string, unknown>[] = [];
const memory = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});
const metrics = createMetrics();
let h: CallHarness;
beforeAll(async () => {
  h = await startCallHarness({ observe: { metrics, logger: pino({ level: 'info' }, memory) }, composite: false });
});
afterAll(async () => h?.stop());

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

async function scrape(): Promise<Sample[]> {
  const { data } = await axios.get<string>(h.metricsUrl, { responseType: 'text' });
  return data
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v]));
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}): number =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);

async function waitForLine(predicate: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const line = lines.find(predicate);
    if (line) return line;
    if (Date.now() > deadline) throw new Error('the expected log line was not written');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Scrapes until `shows` holds (visibility and retries take a moment), then returns that scrape. */
async function scrapeUntil(shows: (samples: Sample[]) => boolean, timeoutMs = 15_000): Promise<Sample[]> {
  const deadline = Date.now() + timeoutMs;
  let samples = await scrape();
  while (!shows(samples) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    samples = await scrape();
  }
  return samples;
}

it('serves /metrics on its own listener only: the public webhook port answers 404', async () => {
  expect(new URL(h.metricsUrl).port).not.toBe(new URL(h.webhookUrl).port);
  expect((await scrape()).some((sample) => sample.name.startsWith('callmatrix_'))).toBe(true);
  for (const path of ['/metrics', '/metrics/', '/METRICS']) {
    const publicAnswer = await axios.get<string>(`${h.webhookUrl}${path}`, { responseType: 'text', validateStatus: () => true });
    expect({ path, status: publicAnswer.status }).toEqual({ path, status: 404 });
    expect(publicAnswer.data).not.toContain('callmatrix_');
  }
});

let sequence = 0;
/** A new client for each call, so each is an M1 (answered, new client) whatever the others wrote. */
const newClientCall = (callId: string) => incomingCall(callId, { caller: `+38067${String(Date.now()).slice(-5)}${String(++sequence).padStart(2, '0')}` });

async function waitForStatus(callId: string, status: CallStatus): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await h.status(callId).catch(() => undefined))?.status !== status) {
    if (Date.now() > deadline) throw new Error(`${callId} did not become ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it('after a written call and a rejected webhook, the counters moved and no label carries personal data or ids', async () => {
  // The deployment's access token (kept in the activation file) expires at Zoho: the call's first request refreshes it.
  await h.admin.advanceClock(3600 * 1000);
  const before = await scrape();
  const callId = h.uniqueCallId();
  expect((await h.send('end', newClientCall(callId))).status).toBe(200);
  const view = await h.result(callId);
  expect(view.status).toBe('written');
  const lead = (await h.records('Leads'))[0];
  expect(lead).toBeDefined();
  expect((await h.send('end', newClientCall(h.uniqueCallId()), { method: 'GET' })).status).toBe(200);
  const unauthorised = await axios.post(`${h.webhookUrl}/webhooks/ringostat`, incomingCall(h.uniqueCallId()), {
    params: { event: 'end', secret: 'wrong-secret' },
    validateStatus: () => true,
  });
  expect(unauthorised.status).toBe(401);

  const after = await scrape();
  const moved = (name: string, labels?: Record<string, string>) => value(after, name, labels) - value(before, name, labels);
  expect(moved('callmatrix_calls_total', { status: 'written', rule: 'M1', scenario: view.plan!.scenario })).toBeGreaterThanOrEqual(1);
  expect(moved('callmatrix_call_duration_seconds_count', { status: 'written' })).toBeGreaterThanOrEqual(1);
  expect(moved('callmatrix_webhook_responses_total', { code: '200' })).toBeGreaterThanOrEqual(2);
  expect(moved('callmatrix_webhook_responses_total', { code: '401' })).toBe(1);
  expect(moved('callmatrix_webhook_request_duration_seconds_count', { code: '200' })).toBeGreaterThanOrEqual(2);
  // The lead was created on `/Leads`; record reads and updates are counted as `/Leads/{id}`, never with the id.
  expect(moved('callmatrix_zoho_requests_total', { endpoint: '/Leads', method: 'POST' })).toBeGreaterThanOrEqual(1);

  expect(moved('callmatrix_zoho_token_refreshes_total', { result: 'ok' })).toBeGreaterThanOrEqual(1);

  const labelValues = after.flatMap((s) => Object.values(s.labels));
  const personal = labelValues.filter((v) => /\d{6,}/.test(v) || v.includes(callId) || v.includes(String(lead.id)));
  expect(personal).toEqual([]);
});

it('logs one info line per outcome with the call id, rule, scenario, records written and duration', async () => {
  const callId = h.uniqueCallId();
  await h.send('end', newClientCall(callId));
  const view = await h.result(callId);
  const line = await waitForLine((l) => l.callId === callId);
  expect(line).toMatchObject({
    level: 30,
    msg: 'call written',
    component: 'calls',
    workflowId: callWorkflowId('ringostat', callId),
    status: 'written',
    rule: 'M1',
    scenario: view.plan!.scenario,
    records: view.written.map(({ module, id, created }) => ({ module, id, created })),
  });
  expect(line.ms).toEqual(expect.any(Number));
  // The caller's number is in the call, not in the line.
  expect(JSON.stringify(line)).not.toMatch(/\+380/);
  expect(lines.filter((l) => l.callId === callId)).toHaveLength(1);
});

it('counts suspended calls and the age of the oldest from Temporal visibility, and logs the suspension', async () => {
  metrics.calls.readSuspendedFrom(() => suspendedCalls(h.temporal));
  metrics.integration.readBrokenFrom(() => h.activation.broken() !== undefined);
  expect(value(await scrape(), 'callmatrix_integration_broken')).toBe(0);
  await h.activation.markBroken('test: authorisation revoked');
  const callId = h.uniqueCallId();
  try {
    await h.send('end', newClientCall(callId));
    await waitForStatus(callId, 'suspended');
    await waitForLine((l) => l.callId === callId && l.status === 'suspended');
    // Visibility is eventually consistent: the status search attribute lands shortly after the query shows it.
    const samples = await scrapeUntil((scraped) => value(scraped, 'callmatrix_calls_suspended') >= 1);
    expect(value(samples, 'callmatrix_calls_suspended')).toBeGreaterThanOrEqual(1);
    expect(value(samples, 'callmatrix_calls_suspended_oldest_age_seconds')).toBeGreaterThan(0);
    expect(value(samples, 'callmatrix_call_suspensions_total')).toBeGreaterThanOrEqual(1);
    expect(value(samples, 'callmatrix_integration_broken')).toBe(1);
    // Why and since when: on the metrics listener, the operator's; the public port tells strangers the status only.
    const operator = await axios.get(h.metricsUrl.replace(/\/metrics$/, '/healthz/integration'), { validateStatus: () => true });
    expect({ status: operator.status, data: operator.data as unknown }).toEqual({
      status: 503,
      data: { ok: false, integration: { status: 'broken', reason: 'test: authorisation revoked', since: expect.any(String) } },
    });
    for (const path of ['/healthz', '/healthz/integration', '/readyz']) {
      const publicAnswer = await axios.get<{ integration: unknown }>(`${h.webhookUrl}${path}`, { validateStatus: () => true });
      expect({ path, integration: publicAnswer.data.integration }).toEqual({ path, integration: { status: 'broken' } });
    }
  } finally {
    await h.temporal.workflow.getHandle(callWorkflowId('ringostat', callId)).terminate('test over');
    await h.activation.connect(h.activation.connection()!);
  }
});

it('shows a call whose write Zoho keeps failing with 5xx: its activity, retried, and how long since its first attempt', async () => {
  const applyPlan = { activity: 'applyPlan' };
  await h.admin.addFault({ kind: 'error', status: 500, match: { method: 'POST', module: 'Leads' } });
  const callId = h.uniqueCallId();
  try {
    await h.send('end', newClientCall(callId));
    const samples = await scrapeUntil((scraped) => value(scraped, 'callmatrix_activities_retrying', applyPlan) >= 1);
    expect(value(samples, 'callmatrix_activities_retrying', applyPlan)).toBe(1);
    expect(value(samples, 'callmatrix_activities_retrying_oldest_age_seconds', applyPlan)).toBeGreaterThan(1);
    expect((await h.status(callId)).status).toBe('writing');
  } finally {
    await h.admin.clearFaults();
  }
  await waitForStatus(callId, 'written');
  expect(value(await scrape(), 'callmatrix_activities_retrying', applyPlan)).toBe(0);
});

it('[Operations] shows the calls still running by status and how long since the oldest started, from Temporal visibility sampled once for many scrapes: a call whose end event never came', async () => {
  let listings = 0;
  metrics.calls.readRunningFrom(() => {
    listings += 1;
    return runningCalls(h.temporal, h.taskQueue);
  }, 2_000);
  const callId = h.uniqueCallId();
  // It rang 20 minutes ago (a calldate with its offset is read as it is), its webhook came now, its end never came.
  const calldate = new Date(Date.now() - 20 * 60_000).toISOString();
  const sentAt = Date.now();
  expect((await h.send('start', ringing({ ...newClientCall(callId), calldate }))).status).toBe(200);
  const inProgress = { status: 'in-progress' };
  try {
    const samples = await scrapeUntil((scraped) => value(scraped, 'callmatrix_calls_running', inProgress) >= 1);
    expect(value(samples, 'callmatrix_calls_running', inProgress)).toBe(1);
    // Since its workflow started: a call that reached callmatrix late (recovered from the call log) is not old.
    const age = value(samples, 'callmatrix_calls_running_oldest_age_seconds', inProgress);
    expect(age).toBeGreaterThan(0);
    expect(age).toBeLessThanOrEqual((Date.now() - sentAt) / 1000 + 1);
    // Labelled by status alone, each status a call keeps while open shown even at 0.
    const running = samples.filter((sample) => sample.name.startsWith('callmatrix_calls_running'));
    expect(new Set(running.map((sample) => JSON.stringify(Object.keys(sample.labels))))).toEqual(new Set(['["status"]']));
    expect(value(samples, 'callmatrix_calls_running', { status: 'suspended' })).toBe(0);

    // Scrapes within one sample's age ask visibility at most once between them.
    const before = listings;
    for (let i = 0; i < 3; i += 1) await scrape();
    expect(listings - before).toBeLessThanOrEqual(1);
  } finally {
    await h.temporal.workflow.getHandle(callWorkflowId('ringostat', callId)).terminate('test done');
  }
});
