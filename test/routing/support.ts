/**
 * A routing endpoint on real HTTP against a Zoho CRM emulator, wired as in production: a fastify app with
 * `registerRouting`, the real Zoho client on emulator credentials, and the emulator's demo users as employees.
 */
import crypto from 'node:crypto';
import axios from 'axios';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { emulatorCredentials } from '../../cli/demo';
import { setTimeout as sleep } from 'node:timers/promises';
import { registerRouting, ROUTING_PATH, DECISION_HEADER, type RoutingDeps } from '../../http/routing';
import { settingsSchema, type Settings } from '../../matrix/settings-schema';
import { EmulatorAdmin, startEmulator, type EmulatorOptions, type RunningEmulator } from '@callmatrix/zoho-emulator';
import { createZohoClient, type ZohoUser } from '../../zoho';

export interface Users {
  senior: ZohoUser;
  ivan: ZohoUser;
  maria: ZohoUser;
  andrii: ZohoUser;
}

export interface RoutingAnswer {
  status: number;
  /** Parsed JSON, or the text body. */
  body: unknown;
  /** Why, from the decision header: `Leads`, `Deals`, `Contacts` or `continue:<reason>`. */
  decision: string;
  ms: number;
}

export interface AskOptions {
  method?: 'GET' | 'POST';
  form?: boolean;
  secret?: string;
  /** Extra request parameters. */
  parameters?: Record<string, string>;
}

export interface RoutingHarness {
  emulator: RunningEmulator;
  admin: EmulatorAdmin;
  users: Users;
  /** Settings overrides for the next requests: merged over the demo settings and validated by the schema. */
  configure(overrides?: Record<string, unknown>): Settings;
  setIntegrationBroken(broken: boolean): void;
  /** Asks the endpoint for `caller` the way Ringostat would (JSON POST by default). */
  ask(caller: string | undefined, options?: AskOptions): Promise<RoutingAnswer>;
  /** A fresh mobile number in E.164, so a test's records and cache entries are its own. */
  uniquePhone(): string;
  /** Number of Zoho CRM API requests the emulator has served so far. */
  crmRequests(): Promise<number>;
  /** The same, once the emulator has finished the ones in flight (it logs a request when it ends). */
  settledCrmRequests(): Promise<number>;
  close(): Promise<void>;
}

const silent = pino({ level: 'silent' });

export async function startRoutingHarness(
  emulatorOptions: EmulatorOptions = {},
  limits: Pick<RoutingDeps, 'lookupsPerMinute'> = {},
): Promise<RoutingHarness> {
  const emulator = await startEmulator({ seed: 'empty', ...emulatorOptions });
  const admin = new EmulatorAdmin(emulator.url);
  const credentials = await emulatorCredentials(emulator);
  const zoho = createZohoClient({ credentials: { current: async () => credentials }, logger: silent });
  const byName = new Map((await zoho.listUsers('ActiveUsers')).map((user) => [user.full_name, user]));
  const user = (name: string): ZohoUser => byName.get(name) ?? (() => { throw new Error(`no demo user ${name}`); })();
  const users: Users = { senior: user('Olena Koval'), ivan: user('Ivan Petrenko'), maria: user('Maria Shevchenko'), andrii: user('Andrii Bondar') };

  // Ivan, Maria and Andrii are employees; Olena, the senior manager, is not (she does not take calls).
  const employee = (zohoUser: ZohoUser, extension: string, phone: string) => ({
    code: extension,
    name: zohoUser.full_name,
    zohoUserId: zohoUser.id,
    extensions: [extension],
    sipLogins: [zohoUser.full_name.split(' ')[0].toLowerCase()],
    phones: [phone],
  });
  const demo = {
    seniorManager: { zohoUserId: users.senior.id },
    employees: [employee(users.ivan, '101', '+380501000101'), employee(users.maria, '102', '+380501000102'), employee(users.andrii, '103', '+380501000103')],
  };
  let settings = settingsSchema.parse(demo);
  let broken = false;

  const secret = crypto.randomBytes(18).toString('base64url');
  const app: FastifyInstance = Fastify();
  registerRouting(app, { zoho, settings: () => settings, webhookSecret: secret, integrationBroken: () => broken, logger: silent, ...limits });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}${ROUTING_PATH}`;

  let sequence = 0;
  const runId = crypto.randomInt(100, 999);
  return {
    emulator,
    admin,
    users,
    configure(overrides = {}) {
      settings = settingsSchema.parse({ ...demo, ...overrides });
      return settings;
    },
    setIntegrationBroken(value) {
      broken = value;
    },
    async ask(caller, { method = 'POST', form = false, secret: givenSecret = secret, parameters = {} } = {}) {
      const callParameters: Record<string, string> = { call_id: crypto.randomUUID(), ...(caller !== undefined && { caller }), ...parameters };
      const startedAt = performance.now();
      const response =
        method === 'GET'
          ? await axios.get(url, { params: { secret: givenSecret, ...callParameters }, validateStatus: () => true, responseType: 'text' })
          : await axios.post(url, form ? new URLSearchParams(callParameters).toString() : callParameters, {
              params: { secret: givenSecret },
              headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
              validateStatus: () => true,
              responseType: 'text',
            });
      const text = String(response.data ?? '');
      const json = String(response.headers['content-type'] ?? '').startsWith('application/json');
      return { status: response.status, body: json ? JSON.parse(text) : text, decision: String(response.headers[DECISION_HEADER] ?? ''), ms: performance.now() - startedAt };
    },
    uniquePhone: () => `+38050${runId}${String(++sequence).padStart(4, '0')}`,
    async crmRequests() {
      return (await admin.stats()).total;
    },
    async settledCrmRequests() {
      for (let previous = -1; ; await sleep(50)) {
        const now = (await admin.stats()).total;
        if (now === previous) return now;
        previous = now;
      }
    },
    async close() {
      await app.close();
      await emulator.close();
    },
  };
}
