import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { EDITIONS } from './limits';
import { isModuleName, type ModuleName } from './modules';
import { moduleDef } from './org';
import { renderRecord } from './render';
import type { EmulatorState } from './state';
import { toStoredValues } from './validation';

/**
 * The test-only API under `/__emulator` (no auth): inspect records and traffic, seed records directly, move the
 * clock, mint and revoke OAuth grants, change settings and inject faults. EmulatorAdmin (admin.ts) is its client.
 */
export const INSPECTION_PREFIX = '/__emulator';

const matchSchema = z.object({ method: z.string().optional(), module: z.string().optional(), path: z.string().optional() }).strict().optional();
const faultSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('error'),
      status: z.number().int().min(400).max(599),
      code: z.string().optional(),
      message: z.string().optional(),
      count: z.number().int().positive().optional(),
      rate: z.number().min(0).max(1).optional(),
      match: matchSchema,
    })
    .strict(),
  z.object({ kind: z.literal('timeout-after-commit'), count: z.number().int().positive().optional(), delayMs: z.number().int().min(0).optional(), match: matchSchema }).strict(),
  z.object({ kind: z.literal('hold'), match: matchSchema }).strict(),
]);
const settingsSchema = z
  .object({
    latencyMs: z.number().int().min(0).optional(),
    searchIndexLagMs: z.number().int().min(0).optional(),
    phoneSearch: z.enum(['exact', 'digits']).optional(),
    invalidTokenCode: z.enum(['INVALID_TOKEN', 'AUTHENTICATION_FAILURE']).optional(),
    edition: z.enum(EDITIONS).optional(),
    creditLimit: z.number().int().min(0).optional(),
    concurrency: z.number().int().positive().optional(),
    subConcurrency: z.number().int().positive().optional(),
  })
  .strict();
const readOnlySchema = z.object({ readOnly: z.boolean() }).strict();
const grantSchema = z.object({ scope: z.string().optional(), ttlSeconds: z.number().positive().optional() }).strict();
const clockSchema = z.object({ ms: z.number().int().min(0) }).strict();
const seedSchema = z
  .object({
    records: z.array(z.record(z.string(), z.unknown())).min(1),
    /** Backdates the records' Created_Time (ISO-8601). */
    createdTime: z
      .string()
      .refine((t) => !Number.isNaN(Date.parse(t)), 'not a date-time')
      .optional(),
  })
  .strict();

export type SettingsUpdate = z.infer<typeof settingsSchema>;

function parse<T>(schema: z.ZodType<T>, body: unknown, reply: FastifyReply): T | undefined {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  void reply.code(400).send({ error: 'invalid request', issues: result.error.issues });
  return undefined;
}

function moduleOf(params: unknown, reply: FastifyReply): ModuleName | undefined {
  const { module } = params as { module: string };
  if (isModuleName(module)) return module;
  void reply.code(404).send({ error: `unknown module ${module}` });
  return undefined;
}

function snapshot(state: EmulatorState): Record<string, unknown> {
  return {
    now: new Date(state.clock.now()).toISOString(),
    edition: state.org.edition,
    settings: state.settings,
    credits: { used: state.limits.creditsUsed(), limit: state.limits.creditLimit },
    concurrency: { limit: state.limits.concurrencyLimit, subConcurrency: state.limits.subConcurrencyLimit, inFlight: state.limits.inFlightCount() },
    faults: state.faults.list(),
  };
}

export function registerInspectionRoutes(app: FastifyInstance, state: EmulatorState): void {
  const at = (path: string): string => `${INSPECTION_PREFIX}${path}`;

  app.get(at('/state'), async () => snapshot(state));
  app.get(at('/connection'), async () => ({
    url: state.baseUrl,
    dc: state.org.dc,
    apiDomain: state.apiDomain,
    accountsUrl: state.accountsUrl,
    clientId: state.oauth.clientId,
    clientSecret: state.oauth.clientSecret,
  }));
  app.post(at('/reset'), async () => {
    state.reset();
    return snapshot(state);
  });
  app.put(at('/settings'), async (request, reply) => {
    const body = parse(settingsSchema, request.body, reply);
    if (!body) return reply;
    const { edition, creditLimit, concurrency, subConcurrency, ...settings } = body;
    state.settings = { ...state.settings, ...settings };
    if (edition) state.org.edition = edition;
    state.limits.override({ creditLimit, concurrency, subConcurrency });
    return snapshot(state);
  });
  app.post(at('/clock/advance'), async (request, reply) => {
    const body = parse(clockSchema, request.body, reply);
    if (!body) return reply;
    state.clock.advance(body.ms);
    return { now: new Date(state.clock.now()).toISOString() };
  });

  app.post(at('/oauth/grant-code'), async (request, reply) => {
    const body = parse(grantSchema, request.body, reply);
    if (!body) return reply;
    return state.oauth.mintGrantCode(body);
  });
  app.post(at('/oauth/revoke-all'), async () => {
    state.oauth.revokeAll();
    return state.oauth.mintGrantCode();
  });

  app.get(at('/faults'), async () => ({ faults: state.faults.list() }));
  app.post(at('/faults'), async (request, reply) => {
    const spec = parse(faultSchema, request.body, reply);
    if (!spec) return reply;
    return state.faults.add(spec);
  });
  app.delete(at('/faults'), async () => {
    state.faults.clear();
    return { faults: [] };
  });

  app.get(at('/records/:module'), async (request, reply) => {
    const module = moduleOf(request.params, reply);
    if (!module) return reply;
    return { data: state.store.all(module).map((r) => renderRecord(state, r)) };
  });
  app.post(at('/records/:module'), async (request, reply) => {
    const module = moduleOf(request.params, reply);
    const body = module && parse(seedSchema, request.body, reply);
    if (!module || !body) return reply;
    const def = moduleDef(state.org, module);
    const createdAt = body.createdTime ? Date.parse(body.createdTime) : undefined;
    const records = body.records.map((input) => state.store.insert(module, toStoredValues(def, input), state.org.adminUserId, createdAt));
    return reply.code(201).send({ data: records.map((r) => renderRecord(state, r)) });
  });

  app.put(at('/records/:module/:id/read-only'), async (request, reply) => {
    const module = moduleOf(request.params, reply);
    const body = module && parse(readOnlySchema, request.body, reply);
    if (!module || !body) return reply;
    const { id } = request.params as { id: string };
    if (!state.store.get(module, id)) return reply.code(404).send({ error: `no ${module} record ${id}` });
    state.setReadOnly(module, id, body.readOnly);
    return { module, id, readOnly: body.readOnly };
  });

  app.get(at('/requests'), async (request) => {
    const after = Number((request.query as { after?: string }).after ?? 0);
    return { requests: state.log.list(Number.isFinite(after) ? after : 0) };
  });
  app.delete(at('/requests'), async () => {
    state.log.clear();
    return { requests: [] };
  });
  app.get(at('/stats'), async () => {
    const byEndpoint = state.log.countsByEndpoint();
    return { total: Object.values(byEndpoint).reduce((a, b) => a + b, 0), byEndpoint };
  });
}
