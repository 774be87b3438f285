/**
 * Chaos (#11 item 8, L1): N calls (CALLMATRIX_CHAOS_CALLS, default 200) go through the webhook shim while
 *  - the worker process is killed (`kill -9`) twice and the Temporal dev server (SQLite file) restarted once;
 *  - Zoho (the emulator) answers 2.5% 500s, 2.5% 429s, and commits ~5% of writes but loses the answer;
 *  - 5% of the webhooks are dropped before the shim, and a webhook the shim keeps refusing is given up after
 *    3 re-sends, as Ringostat does: both are only in Ringostat's call log (the Ringostat emulator), where the
 *    reconciliation Schedule must find them;
 *  - some callers call several times within seconds, so their calls overlap.
 * At the end every call must be written exactly once: one completed Task per call, with its recording. Leads are
 * counted per caller and reported: until calls of one caller are serialised (#11 item 7), overlapping calls from
 * one new number may each create a lead. Also reported: the time from the first webhook to the last call written.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ringostatTime, startRingostatEmulator } from '@callmatrix/ringostat-emulator';
import { WorkflowNotFoundError } from '@temporalio/client';
import pino from 'pino';
import { startDevServer, type RunningDevServer } from '../cli/temporal-dev-server';
import { demoSettings } from '../test/support/emulated-org';
import { callWorkflowId, reconciliationScheduleId, searchAttributes } from '../temporal/contracts';
import { upsertReconciliationSchedule } from '../temporal/reconciliation-schedule';
import { answered, freshCall } from './support/calls';
import { progress, round, sleep, type Report } from './support/report';
import { startBenchStack, type BenchStack } from './support/stack';
import { writeWorkflowBundle } from './support/temporal';

const CALLS = Number(process.env.CALLMATRIX_CHAOS_CALLS ?? 200);
/** Calls offered per second: slow enough that the faults land in the middle of the stream. */
const RATE = 5;
const DROP_RATE = 0.05;
/** Share of calls from callers who call 3–5 times in a row. */
const REPEAT_SHARE = 0.3;
/** Ringostat re-sends a refused webhook 3 more times, then parks it. */
const WEBHOOK_ATTEMPTS = 4;
const RESEND_DELAY_MS = 1_000;
/** How long the telephony waits for an answer before it counts the webhook as failed. */
const WEBHOOK_TIMEOUT_MS = 10_000;
const WRITE_DEADLINE_MS = 5 * 60_000;
const API_KEY = crypto.randomBytes(12).toString('hex');
/** The calls ended just now after 3 minutes of talk: the log lists them by start time, older than the settle time. */
const CALL_SECONDS = 180;
const RECONCILIATION = { intervalMinutes: 1, windowMinutes: 1, overlapMinutes: 30, settleMinutes: 1 };

const log = (line: string) => progress(`[chaos] ${line}`);

interface PlannedCall {
  callId: string;
  phone: string;
  dropped: boolean;
}

/** The calls in sending order: single callers, and repeat callers whose calls follow one another. */
function planCalls(): PlannedCall[] {
  const calls: PlannedCall[] = [];
  while (calls.length < CALLS) {
    const repeat = Math.random() < REPEAT_SHARE / 4;
    const { phone } = freshCall();
    const times = repeat ? Math.min(3 + crypto.randomInt(3), CALLS - calls.length) : 1;
    for (let i = 0; i < times; i += 1) calls.push({ callId: freshCall().callId, phone, dropped: false });
  }
  // Exactly DROP_RATE of the webhooks, at random places in the stream.
  const order = calls.map((_, i) => i).sort(() => Math.random() - 0.5);
  for (const i of order.slice(0, Math.max(1, Math.round(CALLS * DROP_RATE)))) calls[i].dropped = true;
  return calls;
}

/** Sends like Ringostat: a refused or unanswered webhook is re-sent a few times, then given up. */
async function sendLikeRingostat(stack: BenchStack, parameters: Record<string, string>): Promise<boolean> {
  for (let attempt = 1; attempt <= WEBHOOK_ATTEMPTS; attempt += 1) {
    const unanswered = sleep(WEBHOOK_TIMEOUT_MS).then(() => 0);
    const status = await Promise.race([stack.send('end', parameters).catch(() => 0), unanswered]);
    if (status === 200) return true;
    await sleep(RESEND_DELAY_MS);
  }
  return false;
}

async function restartTemporal(server: RunningDevServer, dbFile: string): Promise<RunningDevServer> {
  const port = Number(server.address.split(':')[1]);
  await server.stop();
  return startDevServer({ port, dbFile });
}

export async function run(report: Report): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-chaos-'));
  const dbFile = path.join(dir, 'temporal.sqlite');
  log(`starting a Temporal dev server on ${dbFile}, the Ringostat and Zoho emulators, a worker and a shim…`);
  const [first, bundle] = await Promise.all([startDevServer({ dbFile }), writeWorkflowBundle()]);
  let server = first;
  const children: number[] = [];
  // The runner exits at its timeout without unwinding this function: do not leave the server and emulator behind.
  const killOnExit = () => {
    for (const pid of [server.process.pid, ...children]) {
      try {
        if (pid) process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  };
  process.once('exit', killOnExit);
  const ringostat = await startRingostatEmulator({ apiKey: API_KEY });
  const stack = await startBenchStack({
    latencyMs: 20,
    temporal: { address: server.address, workflowBundlePath: bundle.workflowBundlePath },
    // The calls' calldate is written on UTC's clock (ringostatTime): a project on UTC says so, for webhooks and log alike.
    settings: { reconciliation: RECONCILIATION, telephony: { timeZone: 'UTC' } },
    ringostat: { apiUrl: ringostat.url, apiKey: API_KEY },
  });
  children.push(stack.emulatorPid);
  try {
    // What a worker does at start (cli/services.ts); the bench's worker processes are built without the CLI.
    await upsertReconciliationSchedule(stack.temporal, {
      taskQueue: stack.taskQueue,
      settings: demoSettings(stack.users, { reconciliation: RECONCILIATION }).reconciliation,
      callLogConfigured: true,
      logger: pino({ level: 'warn' }),
    });
    await stack.admin.addFault({ kind: 'error', status: 500, rate: 0.025 });
    await stack.admin.addFault({ kind: 'error', status: 429, rate: 0.025 });

    const calls = planCalls();
    const chaos = new Map<number, () => Promise<void>>([
      [Math.floor(CALLS * 0.25), async () => (log('kill -9 of the worker'), await stack.killWorker())],
      [Math.floor(CALLS * 0.5), async () => (log('restarting the Temporal dev server'), (server = await restartTemporal(server, dbFile)), log('Temporal is back'))],
      [Math.floor(CALLS * 0.75), async () => (log('kill -9 of the worker'), await stack.killWorker())],
    ]);
    const started = Date.now();
    const sends: Promise<boolean>[] = [];
    // One disruption at a time, each in the background of the stream, the next after the previous has recovered.
    let disruptions = Promise.resolve();
    for (const [index, call] of calls.entries()) {
      const end = new Date();
      const parameters = { ...answered(call.callId, call.phone), uniqueid: call.callId, calldate: ringostatTime(new Date(end.getTime() - CALL_SECONDS * 1000)), duration: String(CALL_SECONDS) };
      ringostat.addCalls([parameters]);
      // About two writes per call (lead or task): one in ten calls loses the answer of one write after it committed.
      if (Math.random() < 0.1) await stack.admin.addFault({ kind: 'timeout-after-commit', count: 1, match: { method: 'POST' } });
      sends.push(call.dropped ? Promise.resolve(false) : sendLikeRingostat(stack, parameters));
      const disruption = chaos.get(index);
      if (disruption) disruptions = disruptions.then(disruption);
      await sleep(1000 / RATE);
    }
    const delivered = await Promise.all(sends);
    await disruptions;
    const dropped = calls.filter((c) => c.dropped).length;
    const givenUp = delivered.filter((ok, i) => !ok && !calls[i].dropped).length;
    log(`all webhooks sent: ${dropped} dropped before the shim, ${givenUp} given up after re-sends; reconciling…`);
    await stack.temporal.schedule.getHandle(reconciliationScheduleId(stack.taskQueue)).trigger();

    // Wait until every call's workflow exists and has completed (the Schedule also runs every minute).
    const closedAt = new Map<string, number>();
    const deadline = Date.now() + WRITE_DEADLINE_MS;
    while (closedAt.size < calls.length && Date.now() < deadline) {
      for (const call of calls) {
        if (closedAt.has(call.callId)) continue;
        try {
          const description = await stack.temporal.workflow.getHandle(callWorkflowId('ringostat', call.callId)).describe();
          if (description.status.name !== 'RUNNING' && description.closeTime) closedAt.set(call.callId, description.closeTime.getTime());
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
      }
      if (closedAt.size < calls.length) {
        log(`${closedAt.size}/${calls.length} calls finished`);
        await sleep(3_000);
      }
    }

    const tasks = await stack.admin.records('Tasks');
    const leads = await stack.admin.records('Leads');
    const tasksOf = (callId: string) => tasks.filter((task) => String(task.Description).includes(`${callId}.mp3`)).length;
    const writtenOnce = calls.filter((c) => tasksOf(c.callId) === 1).length;
    const notWritten = calls.filter((c) => tasksOf(c.callId) === 0).length;
    const writtenTwice = calls.filter((c) => tasksOf(c.callId) > 1).length;
    const callers = [...new Set(calls.map((c) => c.phone))];
    const extraLeads = callers.reduce((extra, phone) => extra + Math.max(0, leads.filter((lead) => lead.Phone === phone).length - 1), 0);
    let recovered = 0;
    for (const call of calls) {
      const description = await stack.temporal.workflow.getHandle(callWorkflowId('ringostat', call.callId)).describe().catch(() => undefined);
      if (description?.typedSearchAttributes.get(searchAttributes.recoveredBy)) recovered += 1;
    }
    const lastWritten = Math.max(...closedAt.values());

    report({ metric: 'calls', value: calls.length, target: '-' });
    report({ metric: 'callers (some calling 3-5 times in a row)', value: callers.length, target: '-' });
    report({ metric: 'webhooks dropped before the shim', value: dropped, target: '-' });
    report({ metric: 'webhooks given up after 3 re-sends', value: givenUp, target: '-' });
    report({ metric: 'calls recovered by reconciliation', value: recovered, target: `>= ${dropped}` });
    report({ metric: 'calls written exactly once', value: writtenOnce, target: String(calls.length) });
    report({ metric: 'calls not written', value: notWritten, target: '0' });
    report({ metric: 'calls written twice or more', value: writtenTwice, target: '0' });
    report({ metric: 'extra leads for one caller (overlapping calls; M17, #11 item 7)', value: extraLeads, target: '-' });
    report({ metric: 'seconds from the first webhook to the last call written', value: round((lastWritten - started) / 1000), target: '-' });
  } finally {
    process.off('exit', killOnExit);
    await stack.temporal.schedule.getHandle(reconciliationScheduleId(stack.taskQueue)).delete().catch(() => undefined);
    await stack.stop();
    await ringostat.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(bundle.dir, { recursive: true, force: true });
  }
}
