import type { FastifyInstance } from 'fastify';
import { moduleScope, registerCrmRoute, routeModule, type CrmContext, type CrmReply } from './crm-route';
import { ZohoApiError, invalidParam } from './errors';
import { fieldOf, type ModuleDef } from './modules';
import { moduleDef } from './org';
import { writeDetails } from './render';
import type { EmulatorState } from './state';
import type { StoredRecord } from './store';
import { validateWrite, type RecordError } from './validation';

/**
 * Writing records: insert, update (batch and by id), upsert, delete, and notes under a parent. Each element of
 * `data[]` succeeds or fails on its own; the HTTP status says whether all, some or none succeeded.
 */
const MAX_RECORDS = 100;
const TRIGGERS = ['workflow', 'approval', 'blueprint', 'pathfinder', 'orchestration'];

type Result = { code: 'SUCCESS'; status: 'success'; message: string; details: Record<string, unknown>; [extra: string]: unknown } | RecordError;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readData(body: unknown): unknown[] {
  if (!isObject(body) || !Array.isArray(body.data) || body.data.length === 0) {
    throw new ZohoApiError(400, 'MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'data', json_path: '$.data' });
  }
  if (body.data.length > MAX_RECORDS) throw new ZohoApiError(400, 'LIMIT_EXCEEDED', 'the number of records exceeds the limit', { limit: MAX_RECORDS, api_name: 'data' });
  // `trigger` is accepted and ignored: the emulator runs no workflows, approvals or blueprints.
  if (body.trigger !== undefined && !(Array.isArray(body.trigger) && body.trigger.every((t) => TRIGGERS.includes(t as string)))) {
    throw new ZohoApiError(400, 'INVALID_DATA', 'invalid data', { api_name: 'trigger', json_path: '$.trigger' });
  }
  return body.data;
}

/** 201 (or 200 for updates) when every record succeeded, 207 when some did, 400 when none did. */
function batchReply(results: Result[], allOkStatus: number): CrmReply {
  const ok = results.filter((r) => r.status === 'success').length;
  const status = ok === results.length ? allOkStatus : ok === 0 ? 400 : 207;
  return { status, body: { data: results } };
}

const success = (message: string, details: Record<string, unknown>, extra: Record<string, unknown> = {}): Result => ({ code: 'SUCCESS', details, message, status: 'success', ...extra });

function insertOne(ctx: CrmContext, module: ModuleDef, input: unknown, index: number): Result {
  const checked = validateWrite(ctx.state, module, input, `$.data[${index}]`);
  if (!checked.ok) return checked.error;
  const record = ctx.state.store.insert(module.apiName, checked.values, ctx.token.userId);
  return success('record added', writeDetails(ctx.state, record));
}

/**
 * A record the user may see but not change (record sharing, territories, an owner's data they may not edit): the
 * refusal Zoho documents for one record; its `details` are not documented, so none (README "Records the user may not
 * change").
 */
const notPermittedOnRecord = (): RecordError => ({ code: 'CANNOT_PERFORM_ACTION', details: {}, message: 'no permission to perform an action on this record', status: 'error' });

function updateOne(ctx: CrmContext, module: ModuleDef, record: StoredRecord, input: unknown, index: number): Result {
  if (ctx.state.isReadOnly(module.apiName, record.id)) return notPermittedOnRecord();
  const checked = validateWrite(ctx.state, module, input, `$.data[${index}]`, record);
  if (!checked.ok) return checked.error;
  ctx.state.store.update(record, checked.values, ctx.token.userId);
  return success('record updated', writeDetails(ctx.state, record));
}

const invalidId = (id: unknown, index: number): RecordError => ({
  code: 'INVALID_DATA',
  details: { id, json_path: `$.data[${index}].id` },
  message: 'the related id given seems to be invalid',
  status: 'error',
});

function insert(ctx: CrmContext): CrmReply {
  const module = routeModule(ctx);
  return batchReply(readData(ctx.body).map((input, i) => insertOne(ctx, module, input, i)), 201);
}

function updateMany(ctx: CrmContext): CrmReply {
  const module = routeModule(ctx);
  const results = readData(ctx.body).map((input, i): Result => {
    const id = isObject(input) ? input.id : undefined;
    if (id === undefined) return { code: 'MANDATORY_NOT_FOUND', details: { api_name: 'id', json_path: `$.data[${i}].id` }, message: 'required field not found', status: 'error' };
    const record = typeof id === 'string' ? ctx.state.store.get(module.apiName, id) : undefined;
    return record ? updateOne(ctx, module, record, input, i) : invalidId(id, i);
  });
  return batchReply(results, 200);
}

function updateById(ctx: CrmContext): CrmReply {
  const module = routeModule(ctx);
  const data = readData(ctx.body);
  const record = ctx.state.store.get(module.apiName, ctx.params.id);
  if (!record) return batchReply([invalidId(ctx.params.id, 0)], 200);
  const since = ctx.headers['if-unmodified-since'];
  if (typeof since === 'string' && Math.floor(record.modifiedAt / 1000) > Math.floor(Date.parse(since) / 1000)) {
    throw new ZohoApiError(412, 'ALREADY_MODIFIED', 'the record has been modified since the given time', { id: record.id });
  }
  return batchReply([updateOne(ctx, module, record, data[0], 0)], 200);
}

function upsert(ctx: CrmContext): CrmReply {
  const module = routeModule(ctx);
  const data = readData(ctx.body);
  const requested = isObject(ctx.body) ? ctx.body.duplicate_check_fields : undefined;
  const allowed = new Set([...module.duplicateCheckFields, ...module.fields.filter((f) => f.unique).map((f) => f.apiName)]);
  if (requested !== undefined && !(Array.isArray(requested) && requested.every((f) => allowed.has(f as string)))) {
    throw new ZohoApiError(400, 'INVALID_DATA', 'invalid data', { api_name: 'duplicate_check_fields', json_path: '$.duplicate_check_fields' });
  }
  const checkFields = (requested as string[] | undefined) ?? module.duplicateCheckFields;
  const results = data.map((input, i): Result => {
    for (const apiName of checkFields) {
      const value = isObject(input) ? input[apiName] : undefined;
      if (value === undefined || value === null || value === '') continue;
      const field = fieldOf(module, apiName);
      const same = (v: unknown): boolean => (field?.type === 'email' && typeof v === 'string' && typeof value === 'string' ? v.toLowerCase() === value.toLowerCase() : v === value);
      const existing = ctx.state.store.all(module.apiName).find((r) => same(r.values[apiName]));
      if (existing) {
        const result = updateOne(ctx, module, existing, input, i);
        return result.status === 'success' ? { ...result, action: 'update', duplicate_field: apiName } : result;
      }
    }
    const result = insertOne(ctx, module, input, i);
    return result.status === 'success' ? { ...result, action: 'insert', duplicate_field: null } : result;
  });
  return batchReply(results, 200);
}

function remove(ctx: CrmContext, ids: string[]): CrmReply {
  const module = routeModule(ctx);
  if (ids.length === 0) throw invalidParam('ids');
  if (ids.length > MAX_RECORDS) throw new ZohoApiError(400, 'LIMIT_EXCEEDED', 'ids exceeds the limit of 100', { param_name: 'ids', limit: MAX_RECORDS });
  const results = ids.map((id): Result => (ctx.state.store.delete(module.apiName, id) ? success('record deleted', { id }) : { ...invalidId(id, 0), details: { id } }));
  return batchReply(results, 200);
}

/** `POST /{module}/{id}/Notes`: notes whose parent is taken from the path. */
function notesOfParent(ctx: CrmContext): CrmReply {
  const parentModule = routeModule(ctx);
  const notes = moduleDef(ctx.state.org, 'Notes');
  const results = readData(ctx.body).map((input, i) =>
    insertOne(ctx, notes, isObject(input) ? { ...input, Parent_Id: { id: ctx.params.id }, $se_module: parentModule.apiName } : input, i),
  );
  return batchReply(results, 201);
}

const writeCount = (ctx: CrmContext): number => (isObject(ctx.body) && Array.isArray(ctx.body.data) ? ctx.body.data.length : 1);
/** Insert/update/upsert cost 1 credit per 10 records (at most 10); more than 10 records is a "heavy" call. */
const writeCost = (ctx: CrmContext): number => Math.min(10, Math.max(1, Math.ceil(writeCount(ctx) / 10)));
const bulk = (ctx: CrmContext): boolean => writeCount(ctx) > 10;

export function registerRecordWriteRoutes(app: FastifyInstance, state: EmulatorState): void {
  const scope = (op: 'CREATE' | 'UPDATE' | 'DELETE') => (ctx: CrmContext) => [moduleScope(routeModule(ctx), op)];
  const write = { write: true, cost: writeCost, heavy: bulk } as const;
  registerCrmRoute(app, state, { method: 'POST', url: '/:module', scopes: scope('CREATE'), ...write, handle: insert });
  registerCrmRoute(app, state, { method: 'PUT', url: '/:module', scopes: scope('UPDATE'), ...write, handle: updateMany });
  registerCrmRoute(app, state, { method: 'PUT', url: '/:module/:id', scopes: scope('UPDATE'), ...write, handle: updateById });
  registerCrmRoute(app, state, {
    method: 'POST',
    url: '/:module/upsert',
    scopes: (ctx) => [...scope('CREATE')(ctx), ...scope('UPDATE')(ctx)],
    ...write,
    handle: upsert,
  });
  registerCrmRoute(app, state, { method: 'DELETE', url: '/:module', scopes: scope('DELETE'), write: true, handle: (ctx) => remove(ctx, (ctx.query.ids ?? '').split(',').filter(Boolean)) });
  registerCrmRoute(app, state, { method: 'DELETE', url: '/:module/:id', scopes: scope('DELETE'), write: true, handle: (ctx) => remove(ctx, [ctx.params.id]) });
  registerCrmRoute(app, state, {
    method: 'POST',
    url: '/:module/:id/Notes',
    scopes: (ctx) => [moduleScope(routeModule(ctx), 'READ'), 'ZohoCRM.modules.notes.CREATE'],
    ...write,
    handle: notesOfParent,
  });
}
