import type { FastifyInstance } from 'fastify';
import { registerCrmRoute, type CrmContext, type CrmReply } from './crm-route';
import { ZohoApiError } from './errors';
import { fieldOf } from './modules';
import { moduleDef } from './org';
import { recordName } from './render';
import type { EmulatorState } from './state';
import type { StoredRecord, StoredValues } from './store';
import { lookupId, validateWrite } from './validation';
import { formatZohoDateTime } from './zoho-time';

/**
 * `POST /Leads/{id}/actions/convert`: the lead becomes a Contact (an existing one with the same Email is reused),
 * an Account from `Company` (reused by name), and optionally a Deal; the lead is kept with `Converted__s: true`.
 * Lead fields map to the Contact fields of the same API name, standing in for the org's conversion mapping.
 */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const failed = (code: string, message: string, details: Record<string, unknown>): CrmReply => ({ status: 400, body: { data: [{ code, details, message, status: 'error' }] } });

function contactValuesOf(state: EmulatorState, lead: StoredRecord): StoredValues {
  const contacts = moduleDef(state.org, 'Contacts');
  const values: StoredValues = {};
  for (const [key, value] of Object.entries(lead.values)) {
    const field = fieldOf(contacts, key);
    if (field && !field.readOnly && field.type !== 'lookup' && value !== null) values[key] = value;
  }
  return values;
}

function convert(ctx: CrmContext): CrmReply {
  const { state } = ctx;
  const { store } = state;
  const lead = store.get('Leads', ctx.params.id);
  if (!lead) return failed('INVALID_DATA', 'the id given seems to be invalid', { id: ctx.params.id });
  if (lead.values.Converted__s === true) return failed('ID_ALREADY_CONVERTED', 'the lead has already been converted', { id: lead.id });
  const options = isObject(ctx.body) && Array.isArray(ctx.body.data) && isObject(ctx.body.data[0]) ? ctx.body.data[0] : {};
  const owner = lookupId(options.assign_to) ?? (lead.values.Owner as string);
  const user = ctx.token.userId;

  let deal: StoredValues | undefined;
  if (isObject(options.Deals)) {
    const checked = validateWrite(state, moduleDef(state.org, 'Deals'), options.Deals, '$.data[0].Deals');
    if (!checked.ok) return { status: 400, body: { data: [checked.error] } };
    deal = checked.values;
  }
  const existingById = (module: 'Accounts' | 'Contacts', value: unknown): StoredRecord | undefined => {
    const id = lookupId(value);
    return id === undefined ? undefined : store.get(module, id);
  };
  if (options.Accounts !== undefined && !existingById('Accounts', options.Accounts)) return failed('INVALID_DATA', 'the id given seems to be invalid', { api_name: 'Accounts' });
  if (options.Contacts !== undefined && !existingById('Contacts', options.Contacts)) return failed('INVALID_DATA', 'the id given seems to be invalid', { api_name: 'Contacts' });

  const company = typeof lead.values.Company === 'string' && lead.values.Company !== '' ? lead.values.Company : undefined;
  const account =
    existingById('Accounts', options.Accounts) ??
    (company ? (store.all('Accounts').find((a) => a.values.Account_Name === company) ?? store.insert('Accounts', { Account_Name: company, Owner: owner }, user)) : undefined);
  const email = typeof lead.values.Email === 'string' ? lead.values.Email.toLowerCase() : undefined;
  const contact =
    existingById('Contacts', options.Contacts) ??
    (email ? store.all('Contacts').find((c) => typeof c.values.Email === 'string' && c.values.Email.toLowerCase() === email) : undefined) ??
    store.insert('Contacts', { ...contactValuesOf(state, lead), Owner: owner, Account_Name: account?.id ?? null }, user);
  const dealRecord = deal ? store.insert('Deals', { Owner: owner, ...deal, Contact_Name: contact.id, Account_Name: account?.id ?? null }, user) : undefined;

  store.update(lead, { Converted__s: true, Converted_Date_Time: formatZohoDateTime(state.clock.now(), state.org.timeZone) }, user);
  const ref = (module: 'Accounts' | 'Contacts' | 'Deals', record: StoredRecord | undefined): Record<string, unknown> | null =>
    record ? { name: recordName(state, module, record.id), id: record.id } : null;
  return {
    status: 200,
    body: {
      data: [
        {
          code: 'SUCCESS',
          details: { Contacts: ref('Contacts', contact), Deals: ref('Deals', dealRecord), Accounts: ref('Accounts', account) },
          message: 'Successfully converted',
          status: 'success',
        },
      ],
    },
  };
}

export function registerConvertRoute(app: FastifyInstance, state: EmulatorState): void {
  registerCrmRoute(app, state, {
    method: 'POST',
    url: '/:module/:id/actions/convert',
    scopes: () => ['ZohoCRM.modules.leads.UPDATE', 'ZohoCRM.modules.contacts.CREATE', 'ZohoCRM.modules.deals.CREATE', 'ZohoCRM.modules.accounts.CREATE'],
    heavy: () => true,
    cost: () => 5,
    write: true,
    handle: (ctx) => {
      if (ctx.module?.apiName !== 'Leads') throw new ZohoApiError(400, 'INVALID_MODULE', 'the module name given seems to be invalid');
      return convert(ctx);
    },
  });
}
