/**
 * A routing endpoint on real HTTP against a Zoho CRM emulator, served by the HTTP server the composition root
 * (app/) builds for production, on an emulated org whose demo users are employees. What a test varies is what
 * production varies: the settings (deadline, cache, destinations), the environment (lookups per minute), the
 * org's activation state, and the emulator (latency, faults).
 */
import crypto from 'node:crypto';
import axios from 'axios';
import pino from 'pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHttpServer } from '../../app';
import { ROUTING_PATH, DECISION_HEADER } from '../../http/routing';
import { settingsSchema, type Settings } from '../../matrix/settings-schema';
import type { EmulatorAdmin, EmulatorOptions, RunningEmulator } from '@callmatrix/zoho-emulator';
import { demoSettings, startEmulatedOrg, type DemoUsers } from '../support/emulated-org';
import { emulatedAppContext } from '../support/emulated-app';

export interface RoutingAnswer {
  status: number;
  /** Parsed JSON, or the text body. */
  body: unknown;
  /** Why, from the decision header: `Leads`, `Deals`, `Contacts` or `continue:<reason>`. */
  decision: string;
  ms: number;
}

export interface AskOptions {
  /** GET and HEAD send the parameters in the query. */
  method?: 'GET' | 'HEAD' | 'POST';
  form?: boolean;
  secret?: string;
  /** Extra request parameters. */
  parameters?: Record<string, string>;
}

export interface RoutingHarness {
  /** The endpoint's URL, without parameters. */
  url: string;
  emulator: RunningEmulator;
  admin: EmulatorAdmin;
  users: DemoUsers;
  /** Settings overrides for the next requests: merged over the demo settings and validated by the schema. */
  configure(overrides?: Record<string, unknown>): Settings;
  /** Marks the org's authorisation broken (R1) in its activation store, or re-activates it. */
  setIntegrationBroken(broken: boolean): Promise<void>;
  /** Asks the endpoint for `caller` the way Ringostat would (JSON POST by default). */
  ask(caller: string | undefined, options?: AskOptions): Promise<RoutingAnswer>;
  /** A fresh mobile number in E.164, so a test's records and cache entries are its own. */
  uniquePhone(): string;
  /**
   * Number of Zoho API requests the emulator has served, once none is in flight any more (it logs a request when
   * it ends): lookups a decision did not wait for are counted too.
   */
  settledCrmRequests(): Promise<number>;
  close(): Promise<void>;
}

const silent = pino({ level: 'silent' });

export interface RoutingHarnessOptions {
  emulator?: EmulatorOptions;
  /** CALLMATRIX_ROUTING_LOOKUPS_PER_MINUTE of the server (default: the environment's default). */
  lookupsPerMinute?: number;
  /** The server's logger (default: silent). */
  logger?: pino.Logger;
}

export async function startRoutingHarness(options: RoutingHarnessOptions = {}): Promise<RoutingHarness> {
  const org = await startEmulatedOrg(options.emulator);
  const { emulator, admin, activation, users } = org;

  // Ivan, Maria and Andrii are employees, with a phone each; Olena, the senior manager, is not (she does not take calls).
  const phones: Record<string, string> = { '101': '+380501000101', '102': '+380501000102', '103': '+380501000103' };
  const { employees, ...rest } = demoSettings(users);
  const demo = { ...rest, employees: employees.map((employee) => ({ ...employee, phones: [phones[employee.code]] })) };
  let settings = settingsSchema.parse(demo);

  const secret = crypto.randomBytes(18).toString('base64url');
  const context = emulatedAppContext(org, {
    env: { CALLMATRIX_ROUTING_LOOKUPS_PER_MINUTE: options.lookupsPerMinute?.toString() },
    secrets: { webhookSecret: secret },
    settings: () => settings,
    logger: options.logger ?? silent,
  });
  const server = await startHttpServer(context, { listen: { host: '127.0.0.1', port: 0, metricsPort: 0 } });
  const url = `${server.url}${ROUTING_PATH}`;

  let sequence = 0;
  const runId = crypto.randomInt(100, 999);
  return {
    url,
    emulator,
    admin,
    users,
    configure(overrides = {}) {
      settings = settingsSchema.parse({ ...demo, ...overrides });
      return settings;
    },
    async setIntegrationBroken(broken) {
      if (broken) await activation.markBroken('test: authorisation revoked');
      else await activation.connect(activation.connection()!);
    },
    async ask(caller, { method = 'POST', form = false, secret: givenSecret = secret, parameters = {} } = {}) {
      const callParameters: Record<string, string> = { call_id: crypto.randomUUID(), ...(caller !== undefined && { caller }), ...parameters };
      const startedAt = performance.now();
      const response =
        method !== 'POST'
          ? await axios.request({ method, url, params: { secret: givenSecret, ...callParameters }, validateStatus: () => true, responseType: 'text' })
          : await axios.post(url, form ? new URLSearchParams(callParameters).toString() : callParameters, {
              params: { secret: givenSecret },
              headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
              validateStatus: () => true,
              responseType: 'text',
            });
      const text = String(response.data ?? '');
      // A HEAD's answer names its type but has no body.
      const json = text !== '' && String(response.headers['content-type'] ?? '').startsWith('application/json');
      return { status: response.status, body: json ? JSON.parse(text) : text, decision: String(response.headers[DECISION_HEADER] ?? ''), ms: performance.now() - startedAt };
    },
    uniquePhone: () => `+38050${runId}${String(++sequence).padStart(4, '0')}`,
    async settledCrmRequests() {
      // Settled: nothing in flight at the emulator, and no request ended since the previous look.
      for (let previous = -1; ; await sleep(20)) {
        const { inFlight } = (await admin.state()).concurrency;
        const { total } = await admin.stats();
        if (inFlight === 0 && total === previous) return total;
        previous = total;
      }
    },
    async close() {
      await server.close();
      await org.close();
    },
  };
}
