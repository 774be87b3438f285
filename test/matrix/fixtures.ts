/** Builders for matrix inputs: a Kyiv sales team with three managers and a senior manager. */
import { settingsSchema, type Settings } from '../../matrix/settings-schema';
import type { CallFacts, CallerLookup, CrmPipeline, FoundContact, FoundDeal, FoundLead, FoundOpenTask, MatrixInput } from '../../matrix/input';
import type { CallPlan, PlanOperation } from '../../matrix/plan';

export const CLIENT = '+380981234567';
export const SENIOR = 'zu-senior';
export const MARIA = 'zu-maria';
export const TARAS = 'zu-taras';
export const OKSANA = 'zu-oksana';

export const EMPLOYEES = [
  { code: '101', name: 'Maria Shevchenko', zohoUserId: MARIA, phones: ['+380671110001'], sipLogins: ['maria'], extensions: ['101'] },
  { code: '102', name: 'Taras Bondarenko', zohoUserId: TARAS, sipLogins: ['taras'], extensions: ['102'], extraSipAccounts: ['taras@pbx.example.com'] },
  { code: '103', name: 'Oksana Melnyk', zohoUserId: OKSANA, phones: ['067 111 00 03'], sipLogins: ['oksana'] },
];

/**
 * Settings as the schema parses them, defaults included — except the Calls module record (C1), off unless a test
 * turns it on: the row tests name the records of their rule, and test/matrix/call-record.test.ts covers C1.
 */
export function settings(overrides: Record<string, unknown> = {}): Settings {
  const { matrix, ...rest } = overrides;
  return settingsSchema.parse({ seniorManager: { zohoUserId: SENIOR }, employees: EMPLOYEES, ...rest, matrix: { callRecords: false, ...(matrix as object) } });
}

export const PIPELINES: CrmPipeline[] = [
  { name: 'Standard', isDefault: true, openStages: ['Qualification', 'Needs Analysis', 'Negotiation'] },
  { name: 'New', isDefault: false, openStages: ['First contact', 'Offer'] },
];

/** An incoming call answered by Maria (SIP `maria`) at 14:05 Kyiv time (UTC+2 in winter). */
export function call(overrides: Partial<CallFacts> = {}): CallFacts {
  return {
    provider: 'ringostat',
    callId: 'call-1',
    direction: 'incoming',
    startedAt: '2025-01-15T12:05:00Z',
    endedAt: '2025-01-15T12:08:30Z',
    clientNumberRaw: '098 123 45 67',
    clientPhone: CLIENT,
    companyNumber: '+380443334455',
    outcome: 'answered',
    employee: { sipLogin: 'maria' },
    transferred: false,
    talkSeconds: 125,
    durationSeconds: 210,
    recordingUrl: 'https://rec.example.com/call-1.mp3',
    visit: { utmSource: 'google', utmMedium: 'cpc', utmCampaign: 'spring', googleClientId: 'GA1.2.3', landingPage: 'https://shop.example.com/sofas', poolName: 'Contextual ads' },
    parameters: { pool_name: 'Contextual ads', utm_source: 'google', site_form: 'sofa-quiz' },
    ...overrides,
  };
}

export const NOBODY: CallerLookup = { leads: [], deals: [], contacts: [] };

export const lead = (overrides: Partial<FoundLead> = {}): FoundLead => ({ id: 'L1', ownerId: TARAS, createdTime: '2024-12-01T10:00:00Z', ...overrides });
export const deal = (overrides: Partial<FoundDeal> = {}): FoundDeal => ({
  id: 'D1', ownerId: TARAS, createdTime: '2024-12-01T10:00:00Z', stage: 'Qualification', pipeline: 'Standard', ...overrides,
});
export const contact = (overrides: Partial<FoundContact> = {}): FoundContact => ({ id: 'C1', ownerId: TARAS, createdTime: '2024-11-01T10:00:00Z', ...overrides });

/** A callback callmatrix made an hour before the call (12:05Z), found open with the caller (C3). */
export const callback = (overrides: Partial<FoundOpenTask> = {}): FoundOpenTask => ({
  id: 'T1',
  ownerId: TARAS,
  name: `Call back ${CLIENT}: missed call`,
  subject: `Call back ${CLIENT}: missed call`,
  status: 'Not Started',
  createdTime: '2025-01-15T11:05:00Z',
  description: 'Call: incoming, missed\n\ncallmatrix ref 0123',
  madeByCallmatrix: true,
  ...overrides,
});
/** The caller's open lead (Taras's) and these open tasks. */
export const withTasks = (...openTasks: FoundOpenTask[]): CallerLookup => ({ leads: [lead()], deals: [], contacts: [], openTasks });

export function input(overrides: Partial<MatrixInput> = {}): MatrixInput {
  return { call: call(), lookup: NOBODY, settings: settings(), pipelines: PIPELINES, timeZone: 'Europe/Kyiv', distributionTurn: 0, ...overrides };
}

/** The one operation with this key; fails the test when there is none. */
export function op(plan: CallPlan, key: string): PlanOperation {
  const found = plan.operations.find((operation) => operation.key === key);
  if (!found) throw new Error(`no operation '${key}' in plan: ${plan.operations.map((o) => o.key).join(', ')}`);
  return found;
}

export const keys = (plan: CallPlan): string[] => plan.operations.map((operation) => operation.key);
export const owner = (operation: PlanOperation): string | undefined => (operation.fields.Owner as { id: string } | undefined)?.id;
