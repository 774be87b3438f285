import type { DataCentre } from './dc';
import type { IdGenerator } from './ids';
import type { Edition } from './limits';
import { buildModules, type FieldSpec, type ModuleName } from './modules';
import type { ForecastType, Organisation, Pipeline, User } from './org';
import type { RecordStore } from './store';

/**
 * The demo org: a Ukrainian sales team on Professional, with the custom fields the integration expects (fact sheet
 * §3.3 and SPEC A3), two Deals pipelines and five users (one inactive). Both seeds share it; 'demo' adds a handful
 * of records so `npm start` has an existing client to call from.
 */
const text = (apiName: string, label: string): FieldSpec => ({ apiName, label, type: 'text' });
const callCount: FieldSpec = { apiName: 'rs_call_count', label: 'Calls (Ringostat)', type: 'integer' };
const utm = ['source', 'medium', 'campaign', 'term', 'content'].map((part) => text(`rs_utm_${part}`, `UTM ${part}`));
const visitFields = [text('rs_pool_name', 'Pool name'), text('rs_landing', 'Landing page')];

const CUSTOM_FIELDS: Partial<Record<ModuleName, FieldSpec[]>> = {
  Leads: [...utm, text('rs_google_client_id', 'Google client id'), ...visitFields, callCount],
  Contacts: [text('rs_google_client_id', 'Google client id'), ...visitFields, callCount],
  Deals: [...utm.slice(0, 3), ...visitFields, callCount],
};

const PEOPLE = [
  { first: 'Olena', last: 'Koval', role: 'CEO', profile: 'Administrator', active: true, phone: '+380441234501' },
  { first: 'Ivan', last: 'Petrenko', role: 'Manager', profile: 'Standard', active: true, phone: '+380441234502' },
  { first: 'Maria', last: 'Shevchenko', role: 'Manager', profile: 'Standard', active: true, phone: '+380441234503' },
  { first: 'Andrii', last: 'Bondar', role: 'Manager', profile: 'Standard', active: true, phone: '+380441234504' },
  { first: 'Taras', last: 'Melnyk', role: 'Manager', profile: 'Standard', active: false, phone: '+380441234505' },
];

const STAGES: Record<'Standard' | 'New', [string, ForecastType][]> = {
  Standard: [
    ['Qualification', 'Open'],
    ['Needs Analysis', 'Open'],
    ['Value Proposition', 'Open'],
    ['Proposal/Price Quote', 'Open'],
    ['Negotiation/Review', 'Open'],
    ['Closed Won', 'Closed Won'],
    ['Closed Lost', 'Closed Lost'],
    ['Closed Lost to Competition', 'Closed Lost'],
  ],
  New: [
    ['New Request', 'Open'],
    ['In Progress', 'Open'],
    ['Closed Won', 'Closed Won'],
    ['Closed Lost', 'Closed Lost'],
  ],
};

const FORECAST_CATEGORY = { Open: 'Pipeline', 'Closed Won': 'Closed', 'Closed Lost': 'Omitted' } as const;

function buildUsers(ids: IdGenerator, timeZone: string, created: string): User[] {
  const roles = new Map<string, string>();
  const profiles = new Map<string, string>();
  const idOf = (map: Map<string, string>, name: string): string => map.get(name) ?? map.set(name, ids.nextId()).get(name)!;
  return PEOPLE.map((p) => ({
    id: ids.nextId(),
    first_name: p.first,
    last_name: p.last,
    full_name: `${p.first} ${p.last}`,
    email: `${p.first}.${p.last}@callmatrix-demo.example`.toLowerCase(),
    phone: p.phone,
    mobile: null,
    role: { name: p.role, id: idOf(roles, p.role) },
    profile: { name: p.profile, id: idOf(profiles, p.profile) },
    status: p.active ? 'active' : 'inactive',
    confirm: true,
    zuid: String(700_000_000 + PEOPLE.indexOf(p)),
    time_zone: timeZone,
    locale: 'uk_UA',
    country: 'UA',
    type__s: 'Regular User',
    created_time: created,
  }));
}

function buildPipelines(ids: IdGenerator): Pipeline[] {
  return (Object.keys(STAGES) as (keyof typeof STAGES)[]).map((name) => ({
    id: ids.nextId(),
    display_value: name,
    actual_value: name,
    default: name === 'Standard',
    maps: STAGES[name].map(([stage, forecast], i) => ({
      id: ids.nextId(),
      display_value: stage === 'Closed Lost to Competition' ? 'Closed-Lost to Competition' : stage,
      actual_value: stage,
      sequence_number: i + 1,
      forecast_type: forecast,
      forecast_category: { name: FORECAST_CATEGORY[forecast], id: ids.nextId() },
    })),
  }));
}

export function buildOrganisation(ids: IdGenerator, dc: DataCentre, edition: Edition, customFields: 'demo' | 'none' = 'demo'): Organisation {
  const timeZone = 'Europe/Kyiv';
  const users = buildUsers(ids, timeZone, '2024-01-15T09:00:00+02:00');
  const modules = buildModules(customFields === 'demo' ? CUSTOM_FIELDS : {}, () => ids.nextId());
  const pipelines = buildPipelines(ids);
  const deals = modules.get('Deals')!;
  for (const field of deals.fields) {
    if (field.apiName === 'Pipeline') field.picklist = pipelines.map((p) => p.actual_value);
    if (field.apiName === 'Stage') field.picklist = [...new Set(pipelines.flatMap((p) => p.maps.map((s) => s.actual_value)))];
  }
  return {
    id: ids.nextId(),
    companyName: 'Callmatrix Demo LLC',
    timeZone,
    edition,
    dc,
    users,
    adminUserId: users[0].id,
    modules,
    layouts: [...modules.keys()].map((module) => ({ id: ids.nextId(), name: 'Standard', module })),
    pipelines,
  };
}

export function licensedUsers(org: Organisation): number {
  return org.users.filter((u) => u.status === 'active').length;
}

/** A small existing client base for demos: a contact with an open deal, and an unconverted lead. */
export function seedDemoRecords(store: RecordStore, org: Organisation): void {
  const [, ivan, maria] = org.users;
  const account = store.insert('Accounts', { Account_Name: 'Kyiv Furniture Ltd', Phone: '+380442000100', Owner: ivan.id }, org.adminUserId);
  const contact = store.insert(
    'Contacts',
    { First_Name: 'Petro', Last_Name: 'Hnatyuk', Phone: '+380671234567', Email: 'petro@kyiv-furniture.example', Account_Name: account.id, Owner: ivan.id },
    org.adminUserId,
  );
  store.insert(
    'Deals',
    { Deal_Name: 'Kyiv Furniture — office chairs', Pipeline: 'Standard', Stage: 'Needs Analysis', Contact_Name: contact.id, Account_Name: account.id, Amount: 48000, Owner: ivan.id },
    org.adminUserId,
  );
  store.insert('Leads', { First_Name: 'Oksana', Last_Name: 'Lysenko', Phone: '+380501112233', Company: 'Lysenko Bakery', Lead_Source: 'Advertisement', Owner: maria.id }, org.adminUserId);
}
