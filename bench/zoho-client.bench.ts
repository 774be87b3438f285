/**
 * The Zoho client under load: 25 concurrent callers against the emulator at 100 ms latency on Professional
 * (concurrency 15). Zoho's ceiling is 15 calls in flight / 0.1 s = 150 calls/s; the client should come within
 * 10 % of it without a single 429, i.e. without ever exceeding the limit itself.
 *
 * For scale it also measures a bare Node HTTP client holding exactly 15 calls in flight on the same emulator:
 * the best any client can do on this machine. The gap between that and the ceiling is the emulator's and the
 * machine's (request handling beyond the injected latency), not the client's.
 */
import http from 'node:http';
import pino from 'pino';
import { EmulatorAdmin, startEmulator } from '@callmatrix/zoho-emulator';
import { createZohoClient, exchangeAuthorizationCode, type ZohoCredentials } from '../zoho';

const CALLERS = 25;
const LATENCY_MS = 100;
const CONCURRENCY = 15;
const PHASE_MS = 8_000;
const CEILING = CONCURRENCY / (LATENCY_MS / 1000);

type Report = (row: Record<string, string | number>) => void;

/** Runs `workers` loops of `call` for PHASE_MS, printing progress each second; returns calls/s and failures. */
async function measure(label: string, workers: number, call: () => Promise<unknown>): Promise<{ rate: number; failed: number }> {
  let completed = 0;
  let failed = 0;
  const startedAt = Date.now();
  const deadline = startedAt + PHASE_MS;
  const progress = setInterval(() => {
    const seconds = (Date.now() - startedAt) / 1000;
    console.log(`[zoho-client bench] ${label}: ${seconds.toFixed(0)} s, ${completed} calls, ${(completed / seconds).toFixed(1)} calls/s`);
  }, 1_000);
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < deadline) {
        try {
          await call();
          completed++;
        } catch {
          failed++;
        }
      }
    }),
  );
  clearInterval(progress);
  return { rate: completed / ((Date.now() - startedAt) / 1000), failed };
}

export async function run(report: Report): Promise<void> {
  const emulator = await startEmulator({ dc: 'us', edition: 'professional', latencyMs: LATENCY_MS, seed: 'demo' });
  try {
    const admin = new EmulatorAdmin(emulator.url);
    const { code } = await admin.mintGrantCode();
    const identity = { dc: 'us' as const, clientId: emulator.clientId, clientSecret: emulator.clientSecret, accountsUrl: emulator.accountsUrl };
    const { refreshToken, accessToken } = await exchangeAuthorizationCode(identity, code, 5_000);
    const credentials: ZohoCredentials = { ...identity, refreshToken };
    const client = createZohoClient({ credentials: { current: async () => credentials }, edition: 'professional', logger: pino({ level: 'warn' }) });
    const leadId = String((await admin.records('Leads'))[0].id);
    await client.getRecord('Leads', leadId); // token and sockets warm

    const countBefore = (await admin.requests()).length;
    const ours = await measure(`client, ${CALLERS} callers`, CALLERS, () => client.getRecord('Leads', leadId));
    const tooMany = (await admin.requests()).slice(countBefore).filter((r) => r.status === 429).length;

    const agent = new http.Agent({ keepAlive: true });
    const bare = await measure(`bare HTTP, ${CONCURRENCY} in flight`, CONCURRENCY, () => bareGet(agent, `${emulator.apiDomain}/crm/v8/Leads/${leadId}`, accessToken));
    agent.destroy();

    report({ metric: 'client: calls/s', value: Number(ours.rate.toFixed(1)), target: `>= ${CEILING * 0.9} (ceiling ${CEILING})` });
    report({ metric: 'client: share of ceiling', value: `${((ours.rate / CEILING) * 100).toFixed(1)} %` });
    report({ metric: 'client: 429 answers', value: tooMany, target: 0 });
    report({ metric: 'client: failed calls', value: ours.failed, target: 0 });
    report({ metric: 'bare HTTP baseline: calls/s', value: Number(bare.rate.toFixed(1)) });
    report({ metric: 'client vs baseline', value: `${((ours.rate / bare.rate) * 100).toFixed(1)} %` });
  } finally {
    await emulator.close();
  }
}

function bareGet(agent: http.Agent, url: string, accessToken: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { agent, headers: { authorization: `Zoho-oauthtoken ${accessToken}` } }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${response.statusCode}`))));
    });
    request.on('error', reject);
    request.end();
  });
}
