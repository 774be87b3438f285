/**
 * callmatrix's own Prometheus metrics. One registry per process, made by `createMetrics` and handed down to the
 * parts that count (no module-level registry: tests and `npm start` build several processes' parts in one).
 *
 * Labels carry only bounded, impersonal values: statuses, rule ids, scenario names, HTTP codes, webhook field
 * names, Zoho endpoints with record ids replaced by `{id}`. Never a phone number, a call id, a record id or a
 * field's value.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SecretEndpoint } from '../http/secret';
import type { CallStatus } from '../temporal/call-status';
import type { RecoverySource } from '../temporal/contracts';
import type { RefusedInputKind } from '../temporal/refused-payload';
import type { ZohoTelemetry } from '../zoho/telemetry';

/** Seconds; the webhook and routing answers are expected well under a second, routing's deadline is ~2 s. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5];
/** Seconds from a call's first event to its outcome: the end event arrives minutes after the start. */
const CALL_DURATION_BUCKETS = [1, 5, 15, 60, 300, 900, 1800, 3600, 4 * 3600, 24 * 3600];

/** What the suspended-calls gauges read on every scrape (Temporal visibility, in the worker). */
export interface SuspendedCalls {
  count: number;
  /** When the oldest suspended call started; undefined when none is suspended. */
  oldestStartedAt?: Date;
}

/**
 * How long a scrape waits for a gauge read from Temporal's visibility (suspended and running calls). Temporal
 * unreachable, a listing takes the client's retries, about 20 s, to fail: past Prometheus' scrape timeout (10 s) the
 * whole scrape would fail, every metric of the worker would be missing and CallmatrixDown would name the worker, not
 * Temporal. Past this wait the scrape goes on without those series; the read goes on and serves a later scrape.
 */
export const VISIBILITY_SCRAPE_WAIT_MS = 4_000;

/** `reading`, or undefined once a scrape has waited VISIBILITY_SCRAPE_WAIT_MS for it. */
function awaitedByScrape<T>(reading: Promise<T | undefined>): Promise<T | undefined> {
  return Promise.race([reading, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), VISIBILITY_SCRAPE_WAIT_MS).unref())]);
}

/** What the running-calls gauges read: the calls whose workflow still runs, by CallStatus (observability/running-calls.ts). */
export type RunningCalls = ReadonlyMap<CallStatus, RunningCallsOfStatus>;
export interface RunningCallsOfStatus {
  count: number;
  /** When the oldest run started; undefined when there is none. */
  oldestStartedAt?: Date;
}

/** How often the running-calls gauges ask Temporal's visibility at most: one listing of every running call, whatever the scrapes. */
export const RUNNING_CALLS_SAMPLE_MS = 30_000;

/** Activities of one type that a worker is retrying (worker/retrying-activities.ts). */
export interface RetryingActivity {
  count: number;
  /** Seconds since the first attempt of the oldest one was scheduled. */
  oldestAgeSeconds: number;
}

/** What the retrying-activities gauges read on every scrape, by activity type. */
export type RetryingByType = ReadonlyMap<string, RetryingActivity>;

export interface Metrics {
  registry: Registry;
  /** Where the Temporal SDK's own Prometheus exporter listens in this process, if it was installed with one. */
  temporalSdkMetricsUrl?: string;
  webhook: {
    answered(statusCode: number, seconds: number): void;
    /**
     * An accepted call's optional field could not be read and was left out: labelled by the field's name and by the
     * path the call came by (a webhook, or a call-log entry reconciliation or backfill recovered), never its value.
     */
    fieldDropped(field: string, source: DroppedFieldSource): void;
  };
  routing: {
    answered(decision: string, seconds: number): void;
  };
  secrets: {
    /** A request was refused 429 because its source had sent too many wrong secrets (http/secret.ts). */
    limited(endpoint: SecretEndpoint): void;
  };
  calls: {
    /** A call reached a reported status: final ones are counted by status, rule and scenario; suspensions apart. */
    reached(status: CallStatus, labels: { rule?: string; scenario?: string }, seconds: number): void;
    /** Sets what the suspended-calls gauges read (the worker's Temporal visibility query). */
    readSuspendedFrom(source: () => Promise<SuspendedCalls>): void;
    /** Sets what the running-calls gauges read (the worker's visibility listing), at most once every `sampleEveryMs`. */
    readRunningFrom(source: () => Promise<RunningCalls>, sampleEveryMs?: number): void;
  };
  workflows: {
    /** The workflow interceptor refused an input: call data not encrypted by callmatrix, or another call's event. */
    inputRefused(kind: RefusedInputKind): void;
  };
  activities: {
    /** Sets what the retrying-activities gauges read (the worker's activity interceptor). */
    readRetryingFrom(source: () => RetryingByType): void;
  };
  zoho: ZohoTelemetry;
  integration: {
    /** Sets what the integration-broken gauge reads on each scrape (the activation store, R1). */
    readBrokenFrom(source: () => boolean): void;
  };
  reconciliation: {
    /** One reconciliation pass: how many calls it looked at, and how many it found lost and restarted. */
    passed(result: { seen: number; recovered: number }): void;
  };
}

/** The paths a call's dropped fields are counted by: the `source` label of callmatrix_webhook_fields_dropped_total. */
export type DroppedFieldSource = 'webhook' | RecoverySource;

/** Every metric name the factory registers (the dashboard test checks its queries against them). */
export const METRIC_NAMES = {
  callsTotal: 'callmatrix_calls_total',
  callDuration: 'callmatrix_call_duration_seconds',
  callSuspensions: 'callmatrix_call_suspensions_total',
  callsSuspended: 'callmatrix_calls_suspended',
  oldestSuspendedAge: 'callmatrix_calls_suspended_oldest_age_seconds',
  callsRunning: 'callmatrix_calls_running',
  oldestRunningAge: 'callmatrix_calls_running_oldest_age_seconds',
  workflowInputsRefused: 'callmatrix_workflow_inputs_refused_total',
  activitiesRetrying: 'callmatrix_activities_retrying',
  oldestRetryingAge: 'callmatrix_activities_retrying_oldest_age_seconds',
  webhookDuration: 'callmatrix_webhook_request_duration_seconds',
  webhookResponses: 'callmatrix_webhook_responses_total',
  webhookFieldsDropped: 'callmatrix_webhook_fields_dropped_total',
  routingDuration: 'callmatrix_routing_request_duration_seconds',
  routingDecisions: 'callmatrix_routing_decisions_total',
  secretLimitRefusals: 'callmatrix_secret_limit_refusals_total',
  zohoRequests: 'callmatrix_zoho_requests_total',
  zohoRateLimited: 'callmatrix_zoho_rate_limited_total',
  zohoTokenRefreshes: 'callmatrix_zoho_token_refreshes_total',
  zohoCredits: 'callmatrix_zoho_api_credits_remaining',
  integrationBroken: 'callmatrix_integration_broken',
  reconciliationSeen: 'callmatrix_reconciliation_calls_seen_total',
  reconciliationRecovered: 'callmatrix_reconciliation_calls_recovered_total',
} as const;

/**
 * The Temporal SDK's metrics the dashboard uses, as its exporter names them with the options the runtime sets
 * (`temporal_` prefix, `_total` on counters, units in seconds): a worker test checks the worker exports them.
 */
export const TEMPORAL_SDK_METRICS = [
  'temporal_worker_task_slots_used',
  'temporal_worker_task_slots_available',
  'temporal_num_pollers',
  'temporal_request_total',
  'temporal_request_latency_seconds',
  // Exported from a workflow task's first failure on (test/observability/worker-process.test.ts fails one).
  'temporal_workflow_task_execution_failed_total',
] as const;

/** Statuses a call ends in; `suspended` is reported too, but is a pause, not an end. */
const FINAL_STATUSES: ReadonlySet<CallStatus> = new Set(['written', 'ignored', 'failed', 'discarded', 'expired']);

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  // Process CPU, memory, event-loop lag, under their standard names (process_*, nodejs_*).
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const callsTotal = new Counter({
    name: METRIC_NAMES.callsTotal,
    help: 'Calls that reached a final status (written, ignored, failed, discarded, expired), by rule and scenario.',
    labelNames: ['status', 'rule', 'scenario'],
    registers,
  });
  const callDuration = new Histogram({
    name: METRIC_NAMES.callDuration,
    help: "From a call's first event to its final status.",
    labelNames: ['status'],
    buckets: CALL_DURATION_BUCKETS,
    registers,
  });
  const callSuspensions = new Counter({
    name: METRIC_NAMES.callSuspensions,
    help: 'Times a call was suspended because the Zoho authorisation was broken (R1).',
    registers,
  });
  let suspendedSource: (() => Promise<SuspendedCalls>) | undefined;
  let suspendedReading: Promise<SuspendedCalls | undefined> | undefined;
  // Both gauges are read on one scrape: one visibility query serves them both. A failed read shows no series.
  const readSuspended = () => {
    suspendedReading ??= (suspendedSource?.() ?? Promise.resolve(undefined))
      .catch(() => undefined)
      .finally(() => {
        suspendedReading = undefined;
      });
    return awaitedByScrape(suspendedReading);
  };
  new Gauge({
    name: METRIC_NAMES.callsSuspended,
    help: 'Calls suspended now, waiting for the Zoho integration to be re-activated.',
    registers,
    async collect() {
      const suspended = await readSuspended();
      if (suspended) this.set(suspended.count);
    },
  });
  new Gauge({
    name: METRIC_NAMES.oldestSuspendedAge,
    help: 'Age of the oldest suspended call (0 when none is suspended).',
    registers,
    async collect() {
      const suspended = await readSuspended();
      if (suspended) this.set(suspended.oldestStartedAt ? Math.max(0, (Date.now() - suspended.oldestStartedAt.getTime()) / 1000) : 0);
    },
  });

  let runningSource: (() => Promise<RunningCalls>) | undefined;
  let runningEveryMs = RUNNING_CALLS_SAMPLE_MS;
  let runningSample: { at: number; reading: Promise<RunningCalls | undefined> } | undefined;
  // Both gauges, and every scrape within the sample's age, share one visibility listing: it reads every running call.
  const readRunning = () => {
    if (runningSource && (!runningSample || Date.now() - runningSample.at >= runningEveryMs)) {
      // A failed read shows no series until the next sample, rather than stale numbers; it is not asked again sooner.
      runningSample = { at: Date.now(), reading: runningSource().catch(() => undefined) };
    }
    return runningSample && awaitedByScrape(runningSample.reading);
  };
  const runningGauge = (name: string, help: string, value: (calls: RunningCallsOfStatus) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['status'],
      registers,
      async collect() {
        if (!runningSource) return;
        const running = await readRunning();
        this.reset();
        for (const [status, calls] of running ?? []) this.set({ status }, value(calls));
      },
    });
  runningGauge(METRIC_NAMES.callsRunning, 'Calls whose workflow still runs, by CallStatus (in-progress, writing, suspended, written waiting for its recording).', (calls) => calls.count);
  runningGauge(
    METRIC_NAMES.oldestRunningAge,
    "Seconds since the workflow of the oldest call still running started, by CallStatus (0 when none): a call waiting for an end event that never came, or for its caller's earlier call.",
    (calls) => (calls.oldestStartedAt ? Math.max(0, (Date.now() - calls.oldestStartedAt.getTime()) / 1000) : 0),
  );

  const workflowInputsRefused = new Counter({
    name: METRIC_NAMES.workflowInputsRefused,
    help: "Workflow starts, signals, updates and queries refused: call data callmatrix did not encrypt, or another call's event.",
    labelNames: ['kind'],
    registers,
  });
  let retryingSource: (() => RetryingByType) | undefined;
  const retryingGauge = (name: string, help: string, value: (retrying: RetryingActivity) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['activity'],
      registers,
      collect() {
        if (!retryingSource) return;
        this.reset();
        for (const [activity, retrying] of retryingSource()) this.set({ activity }, value(retrying));
      },
    });
  retryingGauge(
    METRIC_NAMES.activitiesRetrying,
    'Activities this worker is retrying after an error worth retrying (Zoho 5xx, timeouts, unreachable), by activity type.',
    (retrying) => retrying.count,
  );
  retryingGauge(
    METRIC_NAMES.oldestRetryingAge,
    "Seconds since the first attempt of the oldest activity this worker is retrying was scheduled: a call stuck in its Zoho reads or writes.",
    (retrying) => retrying.oldestAgeSeconds,
  );

  const webhookDuration = new Histogram({
    name: METRIC_NAMES.webhookDuration,
    help: 'Time to answer a telephony webhook (acknowledged only once Temporal holds the event).',
    labelNames: ['code'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const webhookResponses = new Counter({
    name: METRIC_NAMES.webhookResponses,
    help: 'Telephony webhooks answered, by HTTP status code.',
    labelNames: ['code'],
    registers,
  });
  const webhookFieldsDropped = new Counter({
    name: METRIC_NAMES.webhookFieldsDropped,
    help: "Optional webhook fields left out because they could not be read (the call was accepted without them), by the field's name and source: webhook, or reconciliation for calls recovered from the call log.",
    labelNames: ['field', 'source'],
    registers,
  });
  const routingDuration = new Histogram({
    name: METRIC_NAMES.routingDuration,
    help: 'Time to answer a smart-routing request (S1–S3).',
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const routingDecisions = new Counter({
    name: METRIC_NAMES.routingDecisions,
    help: 'Smart-routing answers: the module whose owner was chosen, or continue:<reason>.',
    labelNames: ['decision'],
    registers,
  });
  const secretLimitRefusals = new Counter({
    name: METRIC_NAMES.secretLimitRefusals,
    help: 'Requests refused 429 because their source had sent too many wrong secrets, by endpoint (webhook, routing, codec).',
    labelNames: ['endpoint'],
    registers,
  });

  const zohoRequests = new Counter({
    name: METRIC_NAMES.zohoRequests,
    help: 'Zoho CRM API requests, by endpoint (record ids as {id}), method and HTTP status.',
    labelNames: ['endpoint', 'method', 'status'],
    registers,
  });
  const zohoRateLimited = new Counter({
    name: METRIC_NAMES.zohoRateLimited,
    help: 'Zoho CRM answers 429 (too many requests), by endpoint.',
    labelNames: ['endpoint'],
    registers,
  });
  const zohoTokenRefreshes = new Counter({
    name: METRIC_NAMES.zohoTokenRefreshes,
    help: 'Zoho access-token refreshes, by result (ok, failed).',
    labelNames: ['result'],
    registers,
  });
  const zohoCredits = new Gauge({
    name: METRIC_NAMES.zohoCredits,
    help: "Zoho CRM API credits left in the rolling day, from Zoho's X-API-CREDITS-REMAINING header (sent once half are used).",
    registers,
  });

  let brokenSource: (() => boolean) | undefined;
  new Gauge({
    name: METRIC_NAMES.integrationBroken,
    help: '1 while the Zoho authorisation is broken and calls wait for re-activation (R1), else 0.',
    registers,
    collect() {
      if (brokenSource) this.set(brokenSource() ? 1 : 0);
    },
  });

  const reconciliationSeen = new Counter({
    name: METRIC_NAMES.reconciliationSeen,
    help: 'Calls the reconciliation compared between the telephony and Temporal.',
    registers,
  });
  const reconciliationRecovered = new Counter({
    name: METRIC_NAMES.reconciliationRecovered,
    help: 'Calls the reconciliation found missing in Temporal and started (their webhooks were lost).',
    registers,
  });

  return {
    registry,
    webhook: {
      answered(statusCode, seconds) {
        webhookDuration.observe({ code: String(statusCode) }, seconds);
        webhookResponses.inc({ code: String(statusCode) });
      },
      fieldDropped(field, source) {
        webhookFieldsDropped.inc({ field, source });
      },
    },
    routing: {
      answered(decision, seconds) {
        routingDuration.observe(seconds);
        routingDecisions.inc({ decision });
      },
    },
    secrets: {
      limited(endpoint) {
        secretLimitRefusals.inc({ endpoint });
      },
    },
    calls: {
      reached(status, labels, seconds) {
        if (status === 'suspended') return callSuspensions.inc();
        if (!FINAL_STATUSES.has(status)) return;
        callsTotal.inc({ status, rule: labels.rule ?? 'none', scenario: labels.scenario ?? 'none' });
        callDuration.observe({ status }, seconds);
      },
      readSuspendedFrom(source) {
        suspendedSource = source;
      },
      readRunningFrom(source, sampleEveryMs = RUNNING_CALLS_SAMPLE_MS) {
        runningSource = source;
        runningEveryMs = sampleEveryMs;
        runningSample = undefined;
      },
    },
    workflows: {
      inputRefused(kind) {
        workflowInputsRefused.inc({ kind });
      },
    },
    activities: {
      readRetryingFrom(source) {
        retryingSource = source;
      },
    },
    zoho: {
      requested(endpoint, method, status) {
        zohoRequests.inc({ endpoint, method, status: String(status) });
        if (status === 429) zohoRateLimited.inc({ endpoint });
      },
      tokenRefreshed(ok) {
        zohoTokenRefreshes.inc({ result: ok ? 'ok' : 'failed' });
      },
      creditsRemaining(remaining) {
        zohoCredits.set(remaining);
      },
    },
    integration: {
      readBrokenFrom(source) {
        brokenSource = source;
      },
    },
    reconciliation: {
      passed({ seen, recovered }) {
        reconciliationSeen.inc(seen);
        reconciliationRecovered.inc(recovered);
      },
    },
  };
}
