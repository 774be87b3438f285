/**
 * The Zoho client under load, and the HTTP transport beneath it.
 *
 * 1. The client: 25 concurrent callers against the emulator at 100 ms latency on Professional (concurrency 15).
 *    Zoho's ceiling is 15 calls in flight / 0.1 s = 150 calls/s; the client should come within 10 % of it without
 *    a single 429, i.e. without ever exceeding the limit itself.
 * 2. The transport: the hand-written one on node:http (zoho/transport.ts) and the same contract on axios with
 *    keep-alive agents (support/axios-transport.ts), each holding 15 calls in flight, in alternating phases
 *    against the same emulator process, so that the machine's noise hits both alike. At 0 ms emulator latency the
 *    client's own cost per call decides the rate; at 100 ms, Zoho's shape, the round trip does. The emulator
 *    process and this one are pinned to different cores (Linux `taskset`), so neither steals the other's core.
 */
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { EmulatorAdmin } from '@callmatrix/zoho-emulator';
import { createZohoClient, exchangeAuthorizationCode, type ZohoCredentials } from '../zoho';
import { send as handWrittenSend, type TransportRequest, type TransportResponse } from '../zoho/transport';
import { send as axiosSend } from './support/axios-transport';
import { allCores, pin } from './support/cpu-layout';
import { startEmulatorProcess } from './support/emulator-process';
import { ascending, percentile, progress, round, type Report } from './support/report';

const CALLERS = 25;
const CONCURRENCY = 15;
const CLIENT_PHASE_MS = 8_000;
const ZOHO_LATENCY_MS = 100;
const CEILING = CONCURRENCY / (ZOHO_LATENCY_MS / 1000);

const TRANSPORT_LATENCIES_MS = [0, ZOHO_LATENCY_MS];
const TRANSPORT_ROUNDS = 6;
const TRANSPORT_PHASE_MS = 3_000;
const WARM_UP_MS = 1_000;

type Send = (request: TransportRequest) => Promise<TransportResponse>;
const TRANSPORTS: { name: string; send: Send }[] = [
  { name: 'node:http (hand-written)', send: handWrittenSend },
  { name: 'axios, keep-alive agents', send: axiosSend },
];

interface Phase {
  rate: number;
  latenciesMs: number[];
  cpuUsPerCall: number;
  failed: number;
}

/** Runs `workers` loops of `call` for `durationMs`; returns calls/s, each call's latency, CPU per call, failures. */
async function measure(workers: number, durationMs: number, call: () => Promise<unknown>): Promise<Phase> {
  const latenciesMs: number[] = [];
  let failed = 0;
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const deadline = startedAt + durationMs;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < deadline) {
        const sentAt = performance.now();
        try {
          await call();
          latenciesMs.push(performance.now() - sentAt);
        } catch {
          failed++;
        }
      }
    }),
  );
  const seconds = (performance.now() - startedAt) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { rate: latenciesMs.length / seconds, latenciesMs, cpuUsPerCall: (cpu.user + cpu.system) / Math.max(1, latenciesMs.length), failed };
}

const median = (values: number[]): number => percentile(ascending(values), 50);

export async function run(report: Report): Promise<void> {
  const { emulator, pid } = await startEmulatorProcess({ latencyMs: ZOHO_LATENCY_MS });
  try {
    const admin = new EmulatorAdmin(emulator.url);
    const { code } = await admin.mintGrantCode();
    const identity = { dc: 'us' as const, clientId: emulator.clientId, clientSecret: emulator.clientSecret, accountsUrl: emulator.accountsUrl };
    const { refreshToken, accessToken, apiDomain } = await exchangeAuthorizationCode(identity, code, 5_000);
    const credentials: ZohoCredentials = { ...identity, refreshToken };
    const client = createZohoClient({ credentials: { current: async () => credentials }, edition: 'professional', logger: pino({ level: 'warn' }) });
    const [lead] = await admin.seedRecords('Leads', [{ Last_Name: 'Bench' }]);
    const leadId = String(lead.id);
    await client.getRecord('Leads', leadId); // token and sockets warm

    progress(`zoho-client: client, ${CALLERS} callers, ${CLIENT_PHASE_MS / 1000} s`);
    await admin.clearRequests();
    const ours = await measure(CALLERS, CLIENT_PHASE_MS, () => client.getRecord('Leads', leadId));
    const tooMany = (await admin.requests()).filter((r) => r.status === 429).length;
    report({ metric: 'client: calls/s', value: round(ours.rate), target: `>= ${CEILING * 0.9} (ceiling ${CEILING})` });
    report({ metric: 'client: share of ceiling', value: `${((ours.rate / CEILING) * 100).toFixed(1)} %` });
    report({ metric: 'client: 429 answers', value: tooMany, target: 0 });
    report({ metric: 'client: failed calls', value: ours.failed, target: 0 });

    const pinned = pin(pid, '1') && pin(process.pid, '0');
    try {
      // The call ZohoHttp makes for getRecord, minus the limiter: the transports alone.
      const request: TransportRequest = {
        method: 'GET',
        url: `${apiDomain}/crm/v8/Leads/${leadId}`,
        headers: { authorization: `Zoho-oauthtoken ${accessToken}` },
        timeoutMs: 5_000,
        subject: 'bench read',
      };
      const results: Comparison[] = [];
      for (const latencyMs of TRANSPORT_LATENCIES_MS) results.push(await compareTransports(admin, latencyMs, request, pinned));
      // One table of both transports' rows, one of the ratios.
      for (const result of results) result.rows.forEach(report);
      for (const result of results) result.ratios.forEach(report);
    } finally {
      if (pinned) pin(process.pid, allCores());
    }
  } finally {
    await emulator.close();
  }
}

type Row = Record<string, string | number>;
interface Comparison {
  rows: Row[];
  ratios: Row[];
}

async function compareTransports(admin: EmulatorAdmin, latencyMs: number, request: TransportRequest, pinned: boolean): Promise<Comparison> {
  await admin.updateSettings({ latencyMs });
  const phases = TRANSPORTS.map(() => [] as Phase[]);
  const call = (send: Send) => async () => {
    const response = await send(request);
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
  };
  for (const transport of TRANSPORTS) await measure(CONCURRENCY, WARM_UP_MS, call(transport.send));
  for (let turn = 0; turn < TRANSPORT_ROUNDS; turn++) {
    // Alternate which goes first, so a drift in the machine's load over a round favours neither.
    const order = turn % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) {
      await admin.clearRequests();
      const phase = await measure(CONCURRENCY, TRANSPORT_PHASE_MS, call(TRANSPORTS[i].send));
      phases[i].push(phase);
      progress(`zoho-client: ${latencyMs} ms, round ${turn + 1}, ${TRANSPORTS[i].name}: ${phase.rate.toFixed(0)} calls/s, ${phase.cpuUsPerCall.toFixed(0)} µs CPU/call`);
    }
  }
  const setup = `${CONCURRENCY} in flight, ${latencyMs} ms${pinned ? ', pinned' : ''}`;
  const rows = TRANSPORTS.map((transport, i) => {
    const all = ascending(phases[i].flatMap((phase) => phase.latenciesMs));
    return {
      transport: transport.name,
      setup,
      'calls/s (median of rounds)': round(median(phases[i].map((phase) => phase.rate))),
      'p50 ms': round(percentile(all, 50), 2),
      'p99 ms': round(percentile(all, 99), 2),
      'client CPU µs/call': round(median(phases[i].map((phase) => phase.cpuUsPerCall)), 0),
      failed: phases[i].reduce((sum, phase) => sum + phase.failed, 0),
    };
  });
  // Ratios within each round (both phases ran back to back), then their median and range over the rounds.
  const ratios = (of: (phase: Phase) => number) => phases[1].map((phase, r) => of(phase) / of(phases[0][r]));
  const describe = (values: number[]) => {
    const sorted = ascending(values);
    return `${(median(values) * 100).toFixed(1)} % (${(sorted[0] * 100).toFixed(1)}–${(sorted[sorted.length - 1] * 100).toFixed(1)})`;
  };
  return {
    rows,
    ratios: [
      { comparison: `axios / node:http, ${setup}: calls/s`, 'median of rounds (range)': describe(ratios((phase) => phase.rate)) },
      { comparison: `axios / node:http, ${setup}: client CPU per call`, 'median of rounds (range)': describe(ratios((phase) => phase.cpuUsPerCall)) },
    ],
  };
}
