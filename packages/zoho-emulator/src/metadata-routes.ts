import type { FastifyInstance } from 'fastify';
import { registerCrmRoute, type CrmContext, type CrmReply } from './crm-route';
import { ZohoApiError, invalidModule, invalidParam, requiredParamMissing } from './errors';
import { isModuleName, type FieldDef, type ModuleDef } from './modules';
import { moduleDef, type Organisation, type User } from './org';
import { readPage, slice } from './paging';
import type { EmulatorState } from './state';
import { createFields } from './field-create';

/** Org, users and the settings APIs (fields, layouts, pipelines, modules), shaped as in fact sheet §3.4 and §5. */
const JSON_TYPE: Record<FieldDef['type'], string> = {
  text: 'string',
  textarea: 'string',
  email: 'string',
  phone: 'string',
  website: 'string',
  picklist: 'string',
  date: 'string',
  datetime: 'string',
  integer: 'integer',
  double: 'double',
  currency: 'double',
  boolean: 'boolean',
  lookup: 'jsonobject',
  ownerlookup: 'jsonobject',
};

export function renderField(org: Organisation, field: FieldDef): Record<string, unknown> {
  const lookupModule = (name: string): Record<string, unknown> => ({ api_name: name, id: moduleDef(org, name as ModuleDef['apiName']).id });
  return {
    id: field.id,
    api_name: field.apiName,
    field_label: field.label,
    display_label: field.label,
    data_type: field.type,
    json_type: JSON_TYPE[field.type],
    system_mandatory: field.mandatory ?? false,
    custom_field: field.custom,
    read_only: field.readOnly ?? false,
    field_read_only: field.readOnly ?? false,
    length: field.length,
    unique: field.unique ? { casesensitive: false } : {},
    visible: true,
    pick_list_values: (field.picklist ?? []).map((value, i) => ({ display_value: value, actual_value: value, sequence_number: i + 1, id: `${field.id}${i}` })),
    ...(field.picklist ? { restricted_picklist: field.restricted ?? false } : {}),
    lookup: field.lookup?.length === 1 ? { module: lookupModule(field.lookup[0]) } : {},
    ...(field.lookup && field.lookup.length > 1 ? { multi_module_lookup: { modules: field.lookup.map(lookupModule) } } : {}),
  };
}

export function moduleParam(ctx: CrmContext): ModuleDef {
  const name = ctx.query.module;
  if (name === undefined) throw requiredParamMissing('module');
  if (!isModuleName(name)) throw invalidModule();
  return moduleDef(ctx.state.org, name);
}

function fields(ctx: CrmContext): CrmReply {
  const module = moduleParam(ctx);
  return { status: 200, body: { fields: module.fields.map((f) => renderField(ctx.state.org, f)) } };
}

function layouts(ctx: CrmContext): CrmReply {
  const module = moduleParam(ctx);
  const { org } = ctx.state;
  const layout = org.layouts.find((l) => l.module === module.apiName);
  if (!layout) return { status: 204 };
  return {
    status: 200,
    body: {
      layouts: [
        {
          id: layout.id,
          name: layout.name,
          display_label: layout.name,
          api_name: layout.name,
          status: 'active',
          visible: true,
          profiles: [...new Map(org.users.map((u) => [u.profile.id, u.profile])).values()].map((p) => ({ ...p, default: true })),
          sections: [{ display_label: `${module.singular} Information`, sequence_number: 1, fields: module.fields.map((f) => renderField(org, f)) }],
        },
      ],
    },
  };
}

function pipelines(ctx: CrmContext): CrmReply {
  const layoutId = ctx.query.layout_id;
  if (layoutId === undefined) throw requiredParamMissing('layout_id');
  const layout = ctx.state.org.layouts.find((l) => l.id === layoutId);
  if (!layout) throw invalidParam('layout_id', 'the layout id given seems to be invalid');
  if (layout.module !== 'Deals') return { status: 204 };
  return { status: 200, body: { pipeline: ctx.state.org.pipelines } };
}

function modules(ctx: CrmContext): CrmReply {
  const list = [...ctx.state.org.modules.values()].map((m) => ({
    id: m.id,
    api_name: m.apiName,
    module_name: m.apiName,
    singular_label: m.singular,
    plural_label: m.apiName,
    api_supported: true,
    generated_type: 'default',
  }));
  return { status: 200, body: { modules: list } };
}

const USER_FILTERS: Record<string, (u: User, ctx: CrmContext) => boolean> = {
  AllUsers: () => true,
  ActiveUsers: (u) => u.status === 'active',
  DeactiveUsers: (u) => u.status === 'inactive',
  ConfirmedUsers: (u) => u.confirm,
  NotConfirmedUsers: (u) => !u.confirm,
  DeletedUsers: () => false,
  ActiveConfirmedUsers: (u) => u.status === 'active' && u.confirm,
  AdminUsers: (u) => u.profile.name === 'Administrator',
  ActiveConfirmedAdmins: (u) => u.status === 'active' && u.confirm && u.profile.name === 'Administrator',
  CurrentUser: (u, ctx) => u.id === ctx.token.userId,
};

function users(ctx: CrmContext): CrmReply {
  const type = ctx.query.type ?? 'AllUsers';
  const filter = USER_FILTERS[type];
  if (!filter) throw invalidParam('type');
  const { page, perPage } = readPage(ctx.query, 'LIMIT_REACHED');
  const ids = ctx.query.ids?.split(',');
  const matching = ctx.state.org.users.filter((u) => filter(u, ctx) && (!ids || ids.includes(u.id)));
  const { items, more } = slice(matching, (page - 1) * perPage, perPage);
  if (items.length === 0) return { status: 204 };
  return { status: 200, body: { users: items, info: { per_page: perPage, count: items.length, page, more_records: more } } };
}

function user(ctx: CrmContext): CrmReply {
  const found = ctx.state.org.users.find((u) => u.id === ctx.params.id);
  if (!found) throw new ZohoApiError(400, 'INVALID_DATA', 'the id given seems to be invalid', { id: ctx.params.id });
  return { status: 200, body: { users: [found] } };
}

function org(ctx: CrmContext): CrmReply {
  const { org } = ctx.state;
  const admin = org.users.find((u) => u.id === org.adminUserId) as User;
  return {
    status: 200,
    body: {
      org: [
        {
          id: org.id,
          company_name: org.companyName,
          domain_name: `org${org.id}`,
          primary_email: admin.email,
          primary_zuid: admin.zuid,
          zgid: org.id,
          time_zone: org.timeZone,
          country_code: 'UA',
          country: 'Ukraine',
          currency: 'Ukraine Hryvnia - UAH',
          iso_code: 'UAH',
          currency_symbol: '₴',
          type: 'production',
          hipaa_compliance_enabled: false,
          license_details: {
            paid: org.edition !== 'free',
            paid_type: org.edition,
            paid_expiry: null,
            users_license_purchased: org.users.length,
            trial_type: null,
            trial_expiry: null,
          },
        },
      ],
    },
  };
}

export function registerMetadataRoutes(app: FastifyInstance, state: EmulatorState): void {
  registerCrmRoute(app, state, { method: 'GET', url: '/org', scopes: () => ['ZohoCRM.org.READ'], handle: org });
  registerCrmRoute(app, state, { method: 'GET', url: '/users', scopes: () => ['ZohoCRM.users.READ'], handle: users });
  registerCrmRoute(app, state, { method: 'GET', url: '/users/:id', scopes: () => ['ZohoCRM.users.READ'], handle: user });
  registerCrmRoute(app, state, { method: 'GET', url: '/settings/fields', scopes: () => ['ZohoCRM.settings.fields.READ'], handle: fields });
  registerCrmRoute(app, state, { method: 'POST', url: '/settings/fields', scopes: () => ['ZohoCRM.settings.fields.CREATE'], write: true, handle: createFields });
  registerCrmRoute(app, state, { method: 'GET', url: '/settings/layouts', scopes: () => ['ZohoCRM.settings.layouts.READ'], handle: layouts });
  registerCrmRoute(app, state, { method: 'GET', url: '/settings/pipeline', scopes: () => ['ZohoCRM.settings.pipeline.READ'], handle: pipelines });
  registerCrmRoute(app, state, { method: 'GET', url: '/settings/modules', scopes: () => ['ZohoCRM.settings.modules.READ'], handle: modules });
}
