/**
 * Shared by the scenario tests (one file per rule family, each with its own harness): a fresh CRM for every test,
 * Ringostat webhook parameters, seeding of existing clients, and assertions on the final CRM state — every module,
 * so "nothing else was written" is checked, not assumed. Also counts the Zoho API requests each test cost.
 */
import fs from 'node:fs';
import type { Logger } from 'pino';
import { demoSettings, startCallHarness, type CallHarness } from '../support/call-harness';
import type { CallStatus, CallStatusView } from '../../temporal/call-status';
import { localTimeAfter } from '../../common/local-time';
import type { Settings } from '../../matrix/settings-schema';
import type { Metrics } from '../../observability/metrics';
import type { CallLog } from '../../telephony/provider';
import { workflowTypes } from '../../temporal/contracts';

/** Every module the emulator has: a scenario asserts on all of them. */
export const CRM_MODULES = ['Leads', 'Contacts', 'Accounts', 'Deals', 'Tasks', 'Calls', 'Notes'] as const;
export type CrmModule = (typeof CRM_MODULES)[number];
export type CrmRecord = Record<string, unknown>;
export type CrmState = Record<CrmModule, CrmRecord[]>;

/** The caller of most scenarios, and the company's tracking number. */
export const CLIENT = '+380671234567';
export const TRACKING_NUMBER = '+380442000000';
export const TIME_ZONE = 'Europe/Kyiv';

/**
 * `composite`: bundle the lookup and the writes into composite requests (CALLMATRIX_ZOHO_COMPOSITE); default: the
 * environment's. `callLog`: the telephony's call log the worker reconciles with (L1), asked for when the harness
 * starts, so a file's earlier `beforeAll` can start the Ringostat emulator it reads. `observe`: the process's
 * metrics and logger, for files that read them.
 */
export interface ScenarioHarnessOptions {
  composite?: boolean;
  callLog?: () => CallLog;
  observe?: { metrics: Metrics; logger: Logger };
  /** The worker's reconciliation Schedule paused: the file runs reconciliation itself (see startCallHarness). */
  reconciliationOnDemand?: boolean;
}

/**
 * Starts a harness for the file, warms the Zoho client's metadata caches with a call that writes nothing (so each
 * test's request count is what a call costs in steady state), and gives every test an empty CRM and the demo
 * settings. When CALLMATRIX_SCENARIO_REQUESTS names a file, each test's Zoho requests are appended to it as JSON.
 */
export function useScenarioHarness(options: ScenarioHarnessOptions = {}): () => CallHarness {
  let h: CallHarness | undefined;
  beforeAll(async () => {
    h = await startCallHarness({ composite: options.composite, callLog: options.callLog?.(), observe: options.observe, reconciliationOnDemand: options.reconciliationOnDemand });
    const warmUp = h.uniqueCallId();
    await h.send('end', { uniqueid: warmUp, call_type: 'out', caller: 'ivan', dst: '+380509999999', disposition: 'NO ANSWER', billsec: '0' });
    await h.result(warmUp);
  });
  beforeEach(async () => {
    h!.setSettings(scenarioSettings(h!));
    await h!.admin.reset();
  });
  afterEach(async () => {
    const file = process.env.CALLMATRIX_SCENARIO_REQUESTS;
    if (!file || !h) return;
    const cost = await zohoRequests(h);
    fs.appendFileSync(file, `${JSON.stringify({ test: expect.getState().currentTestName, ...cost })}\n`);
  });
  afterAll(async () => h?.stop());
  return () => h!;
}

/**
 * The demo settings with `overrides` on top — the Calls module record (C1) off unless `matrix.callRecords` turns
 * it on: each file asserts on every module, and calls-module.test.ts covers C1 for every matrix row.
 */
function scenarioSettings(h: CallHarness, overrides: Record<string, unknown> = {}): Settings {
  const { matrix, ...rest } = overrides;
  return demoSettings(h.users, { ...rest, matrix: { callRecords: false, ...(matrix as object) } });
}

/** Settings for the next calls (see scenarioSettings). */
export function settings(h: CallHarness, overrides: Record<string, unknown> = {}): Settings {
  const next = scenarioSettings(h, overrides);
  h.setSettings(next);
  return next;
}

/**
 * `YYYY-MM-DD HH:mm:ss` in the account's zone (Kyiv), as Ringostat writes `calldate` in the project's time: with no
 * `telephony.timeZone` set, the workflow reads it in the CRM's zone.
 */
export function ringostatTime(at: Date = new Date()): string {
  const local = localTimeAfter(at.toISOString(), 0, TIME_ZONE);
  return `${local.date} ${local.isoWithOffset.slice(11, 19)}`;
}

/** An incoming call from CLIENT answered by Ivan, with visit data — Ringostat's call-log parameter names. */
export function incomingCall(callId: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    uniqueid: callId,
    calldate: ringostatTime(),
    call_type: 'in',
    caller: CLIENT,
    dst: TRACKING_NUMBER,
    disposition: 'ANSWERED',
    billsec: '42',
    duration: '50',
    connected_with: 'ivan',
    recording: `https://records.example.com/${callId}.mp3`,
    utm_source: 'google',
    utm_medium: 'cpc',
    utm_campaign: 'spring',
    client_id: 'GA1.2.345',
    landing: 'https://shop.example.com/sofas',
    pool_name: 'Contextual ads',
    ...overrides,
  };
}

/** A missed incoming call: nobody talked, nobody is named as the answering employee. */
export function missedCall(callId: string, overrides: Record<string, string> = {}): Record<string, string> {
  return { ...without(incomingCall(callId, { disposition: 'NO ANSWER', billsec: '0', duration: '25' }), 'connected_with', 'recording'), ...overrides };
}

/** `parameters` without `names`. */
export function without(parameters: Record<string, string>, ...names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(parameters).filter(([name]) => !names.includes(name)));
}

/** An outgoing call placed by Ivan (SIP `ivan`) to CLIENT. */
export function outgoingCall(callId: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    uniqueid: callId,
    calldate: ringostatTime(),
    call_type: 'out',
    caller: 'ivan',
    dst: CLIENT,
    disposition: 'ANSWERED',
    billsec: '95',
    duration: '110',
    recording: `https://records.example.com/${callId}.mp3`,
    ...overrides,
  };
}

/** Sends the call's end webhook (or the given sequence), expects each to be accepted, and waits for the workflow. */
export async function runCall(h: CallHarness, callId: string, events: [moment: 'start' | 'answer' | 'end', parameters: Record<string, string>][]): Promise<CallStatusView> {
  for (const [moment, parameters] of events) {
    const response = await h.send(moment, parameters);
    expect(response).toMatchObject({ status: 200, body: { ok: true } });
  }
  return h.result(callId);
}

/** The end webhook of a call alone, as a call whose start and answer webhooks are not configured. */
export function endOnly(h: CallHarness, parameters: Record<string, string>): Promise<CallStatusView> {
  return runCall(h, parameters.uniqueid, [['end', parameters]]);
}

/** Every record of every module. */
export async function crmState(h: CallHarness): Promise<CrmState> {
  const lists = await Promise.all(CRM_MODULES.map((module) => h.records(module)));
  return Object.fromEntries(CRM_MODULES.map((module, i) => [module, lists[i]])) as CrmState;
}

/**
 * The CRM holds exactly `counts` records per module (0 for modules left out) — seeds included — and nothing else.
 * Returns the state for closer assertions.
 */
export async function expectCrm(h: CallHarness, counts: Partial<Record<CrmModule, number>>): Promise<CrmState> {
  const state = await crmState(h);
  const actual = Object.fromEntries(CRM_MODULES.map((module) => [module, state[module].length]));
  const expected = Object.fromEntries(CRM_MODULES.map((module) => [module, counts[module] ?? 0]));
  expect(actual).toEqual(expected);
  return state;
}

/** Records of `module` other than the seeded ones. */
export function created(state: CrmState, module: CrmModule, seeded: readonly string[] = []): CrmRecord[] {
  return state[module].filter((record) => !seeded.includes(String(record.id)));
}

export const owner = (userId: string) => expect.objectContaining({ id: userId });
export const link = (id: string) => expect.objectContaining({ id });

/** The task fields linking it to a lead/deal (`What_Id` + `$se_module`) and, optionally, a contact (`Who_Id`). */
export function linkedTo(what: { module: 'Leads' | 'Deals'; id: string } | null, who: string | null = null): CrmRecord {
  return {
    What_Id: what ? link(what.id) : null,
    $se_module: what ? what.module : null,
    Who_Id: who ? link(who) : null,
  };
}

/** `yyyy-MM-dd HH:mm` of an instant in the account's time zone. */
export function kyivTime(epochMs: number): string {
  return ringostatTime(new Date(epochMs)).slice(0, 16);
}

/**
 * An open task is due `minutes` after the call ended. The end is "now" somewhere between `from` (taken before the
 * end webhook was sent) and this assertion, so the due time lies between those bounds plus `minutes`: `Due_Date`
 * is its date in Kyiv, and the "Due:" line a manager reads names its local time. (The emulator has no Remind_At
 * field to read the exact instant back from.)
 */
export function expectDueIn(task: CrmRecord, from: number, minutes: number): void {
  const [earliest, latest] = [kyivTime(from + minutes * 60_000), kyivTime(Date.now() + minutes * 60_000)];
  expect([...new Set([earliest.slice(0, 10), latest.slice(0, 10)])]).toContain(task.Due_Date);
  const due = /^Due: (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) \(Europe\/Kyiv\)$/m.exec(String(task.Description))?.[1];
  if (!due || due < earliest || due > latest) throw new Error(`task due at ${due ?? '(no "Due:" line)'}, expected between ${earliest} and ${latest} (Kyiv)`);
}

/** Zoho API requests since the test's reset: total and per endpoint. */
export async function zohoRequests(h: CallHarness): Promise<{ total: number; byEndpoint: Record<string, number> }> {
  const requests = await h.admin.requests();
  const byEndpoint: Record<string, number> = {};
  for (const request of requests) byEndpoint[request.endpoint] = (byEndpoint[request.endpoint] ?? 0) + 1;
  return { total: requests.length, byEndpoint };
}

/**
 * Sequential Zoho round trips the call made: requests in flight at the same time count once. Needs an emulator
 * latency well above the client's own time between requests (the tests set 50 ms).
 */
export async function zohoRoundTrips(h: CallHarness): Promise<number> {
  const spans = (await h.admin.requests()).map((r) => ({ start: Date.parse(r.time), end: Date.parse(r.time) + r.durationMs })).sort((a, b) => a.start - b.start);
  let trips = 0;
  let waveEnd = Number.NEGATIVE_INFINITY;
  for (const span of spans) {
    if (span.start >= waveEnd) trips += 1;
    waveEnd = span.start >= waveEnd ? span.end : Math.max(waveEnd, span.end);
  }
  return trips;
}

interface Seed {
  phone?: string;
  ownerId: string;
  createdTime?: string;
  fields?: Record<string, unknown>;
}

async function seedOne(h: CallHarness, module: 'Leads' | 'Contacts' | 'Deals' | 'Tasks', record: CrmRecord, createdTime?: string): Promise<string> {
  const [stored] = await h.admin.seedRecords(module, [record], createdTime ? { createdTime } : {});
  return String(stored.id);
}

export function seedLead(h: CallHarness, { phone = CLIENT, ownerId, createdTime, fields = {} }: Seed): Promise<string> {
  return seedOne(h, 'Leads', { Last_Name: 'Existing lead', Phone: phone, Owner: { id: ownerId }, ...fields }, createdTime);
}

export function seedContact(h: CallHarness, { phone = CLIENT, ownerId, createdTime, fields = {} }: Seed): Promise<string> {
  return seedOne(h, 'Contacts', { Last_Name: 'Existing contact', Mobile: phone, Owner: { id: ownerId }, ...fields }, createdTime);
}

export function seedDeal(
  h: CallHarness,
  { contactId, ownerId, pipeline = 'Standard', stage = 'Needs Analysis', createdTime }: { contactId: string; ownerId: string; pipeline?: string; stage?: string; createdTime?: string },
): Promise<string> {
  return seedOne(h, 'Deals', { Deal_Name: `Deal in ${stage}`, Contact_Name: { id: contactId }, Pipeline: pipeline, Stage: stage, Owner: { id: ownerId } }, createdTime);
}

export function seedTask(h: CallHarness, { what, ownerId, subject, createdTime }: { what: { module: 'Leads' | 'Deals'; id: string }; ownerId: string; subject: string; createdTime?: string }): Promise<string> {
  return seedOne(h, 'Tasks', { Subject: subject, Status: 'Not Started', What_Id: { id: what.id }, $se_module: what.module, Owner: { id: ownerId } }, createdTime);
}

/** ISO time `minutes` ago (for `createdTime` of seeded records). */
export const minutesAgo = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString();

/** Waits until the call's workflow reports `status` (a call suspending while the integration is broken, R1). */
export async function waitForStatus(h: CallHarness, callId: string, status: CallStatus): Promise<void> {
  await eventually(async () => ((await h.status(callId).catch(() => undefined))?.status === status ? true : undefined), 30_000);
}

/**
 * M17: holds the caller's turn in a first call while `slowLead` delays its lead's write (by default: the lead
 * commits, its answer comes 4 s late), queues a second call of the same caller behind it, then terminates the
 * callers' shards, as an operator might: the queue the second call waits in is gone.
 */
export async function waitInATerminatedShard(
  h: CallHarness,
  first: string,
  second: string,
  slowLead: Parameters<CallHarness['admin']['addFault']>[0] = { kind: 'timeout-after-commit', delayMs: 4_000 },
): Promise<void> {
  await h.admin.addFault({ ...slowLead, match: { method: 'POST', module: 'Leads' } });
  await h.send('end', incomingCall(first));
  await waitForStatus(h, first, 'writing');
  await h.send('end', incomingCall(second));
  await eventually(async () => ((await h.status(second)).waitingForCallerTurn ? true : undefined));
  const query = `WorkflowType = "${workflowTypes.callerQueueShard}" AND TaskQueue = "${h.taskQueue}" AND ExecutionStatus = "Running"`;
  const shards = await eventually(async () => {
    const running: string[] = [];
    for await (const shard of h.temporal.workflow.list({ query })) running.push(shard.workflowId);
    return running.length > 0 ? running : undefined;
  });
  for (const shard of shards) await h.temporal.workflow.getHandle(shard).terminate("operator stops the callers' shard");
}

/** Polls `probe` until it returns a defined value (a workflow writing while the call is still ringing, O1). */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`still not there after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The parameters of the start (ringing) webhook of a call: no answer, outcome or recording yet. */
export function ringing(parameters: Record<string, string>): Record<string, string> {
  return without(parameters, 'connected_with', 'recording', 'disposition', 'billsec', 'duration');
}
