/**
 * The settings file (YAML or JSON): who the employees are, who the senior manager is, how telephony parameters
 * map to Zoho fields, and how each matrix scenario behaves. Secrets and addresses live in the environment instead
 * (see `config/environment.ts`). Every field is documented here; `npm run config:schema` writes the JSON Schema
 * editors use from this file.
 */
import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { PHONE_STYLES } from '../common/phone';

const nonEmpty = z.string().trim().min(1);

/** An IANA zone name this runtime knows (`Intl` refuses any other). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const employeeSchema = z
  .object({
    code: nonEmpty.describe("The employee's code in the telephony account."),
    name: nonEmpty.describe('Full name, shown in task descriptions.'),
    zohoUserId: nonEmpty
      .optional()
      .describe(
        'Id of the Zoho CRM user this employee is mapped to (A2). May be left out and chosen at activation ' +
          '(`callmatrix activate map`); an employee mapped to no user counts as unmapped (M3).',
      ),
    phones: z
      .array(nonEmpty)
      .default([])
      .describe('Phone numbers the employee answers on, in any format with a country code or of telephony.defaultCountry (internal numbers go in extensions).'),
    sipLogins: z.array(nonEmpty).default([]).describe('SIP logins of the employee.'),
    extensions: z.array(nonEmpty).default([]).describe('Internal extension numbers.'),
    extraSipAccounts: z
      .array(nonEmpty)
      .default([])
      .describe('SIP accounts from other projects or third-party PBXs the employee also answers on.'),
    missedCallDistribution: z
      .boolean()
      .default(false)
      .describe('Takes part in the round-robin distribution of missed calls from new clients (O4).'),
  })
  .strict();
export type Employee = z.infer<typeof employeeSchema>;

export { MAPPED_MODULES, type MappedModule } from './mapped-modules';

const fieldMappingSchema = z
  .record(nonEmpty, nonEmpty)
  .default({})
  .describe('Telephony parameter (product name) → API name of a String custom field of the module (D3).');

export const pipelineRuleSchema = z
  .object({
    parameter: nonEmpty.describe('Telephony parameter to test, e.g. `pool_name`.'),
    equals: nonEmpty.describe('Value that selects this rule.'),
    pipeline: nonEmpty.describe('Pipeline (display name) the deal is created in.'),
    stage: nonEmpty.optional().describe("Stage to create the deal in; default: the pipeline's first Open stage."),
  })
  .strict();
export type PipelineRule = z.infer<typeof pipelineRuleSchema>;

export const SCENARIOS = [
  'answered-new-client',
  'answered-open-lead-or-deal',
  'answered-contact-only',
  'missed-existing-client',
  'missed-new-client',
  'outgoing-open-lead-or-deal',
  'outgoing-unknown',
  'outgoing-contact-only',
  'voicemail-new-client',
  'voicemail-existing-client',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const scenarioActionsSchema = z
  .object({
    createLead: z.boolean().optional().describe('Create a lead for the caller (scenarios that create one by default).'),
    createDeal: z.boolean().optional().describe('Also create a deal (off in the recommended matrix).'),
    createContact: z.boolean().optional().describe('Also create a contact (off in the recommended matrix).'),
    completedTask: z.boolean().optional().describe('Completed task with the recording for the employee on the call.'),
    followUpTask: z.boolean().optional().describe('Open task (review or call back) for the responsible manager.'),
    callRecord: z
      .boolean()
      .optional()
      .describe("The call's record in Zoho's Calls module (C1); default `matrix.callRecords`, off for outgoing-unknown (M11)."),
  })
  .strict();
export type ScenarioActions = z.infer<typeof scenarioActionsSchema>;

/** Placeholders of `newRecords.nameTemplate`. */
export const NAME_PLACEHOLDERS = ['phone', 'direction'] as const;
const unknownPlaceholders = (template: string): string[] =>
  [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]).filter((name) => !(NAME_PLACEHOLDERS as readonly string[]).includes(name));

export const newRecordsSchema = z
  .object({
    leadSource: nonEmpty
      .default('Advertisement')
      .describe(
        "`Lead_Source` of the leads (and contacts, deals) callmatrix creates: a value of the org's Lead Source picklist, which " +
          '`callmatrix doctor` checks. The default is on the picklist of a new Zoho org.',
      ),
    nameTemplate: nonEmpty
      .default('Call {direction} {phone}')
      .refine((template) => unknownPlaceholders(template).length === 0, {
        message: `unknown placeholder; use ${NAME_PLACEHOLDERS.map((name) => `{${name}}`).join(' and ')}`,
      })
      .describe(
        '`Last_Name` of new leads and contacts, `Deal_Name` of new deals. `{phone}`: the client\'s number as `phoneStyle` writes ' +
          'it; `{direction}`: `from` (incoming) or `to` (outgoing). Default: "Call from +380 67 111 0001".',
      ),
    phoneStyle: z
      .enum(PHONE_STYLES)
      .default('international')
      .describe(
        '`{phone}` in names: `international` (+380 67 111 0001), `national` (067 111 0001 for numbers of ' +
          '`telephony.defaultCountry`, others international) or `e164` (+380671110001). `Phone` fields are always E.164 (M17).',
      ),
  })
  .strict()
  .prefault({})
  .describe('What the records callmatrix creates are called, and their source (D2).');

export const ROUTING_MODULES = ['Leads', 'Deals', 'Contacts'] as const;
export type RoutingModule = (typeof ROUTING_MODULES)[number];
export const DESTINATION_KINDS = ['sipLogins', 'extensions', 'phones'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

const distinct = (values: readonly string[]) => new Set(values).size === values.length;

export const routingSchema = z
  .object({
    priority: z
      .array(z.enum(ROUTING_MODULES))
      .min(1)
      .refine(distinct, 'each module at most once')
      .default(['Leads', 'Deals', 'Contacts'])
      .describe('Where the responsible manager is looked for, first match first: open leads, open deals, contacts (S1).'),
    destinations: z
      .array(z.enum(DESTINATION_KINDS))
      .min(1)
      .refine(distinct, 'each kind at most once')
      .default(['sipLogins', 'extensions', 'phones'])
      .describe("Which of the manager's identifiers is answered, by preference: the first of the first kind the employee has (S2)."),
    deadlineMs: z
      .number()
      .int()
      .min(100)
      .max(30_000)
      .default(1500)
      .describe('A caller is waiting: past this many milliseconds the answer is "continue" (S3). Keep it below the timeout set in Ringostat.'),
    cacheTtlSeconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .default(60)
      .describe('How long the owners found for a number are reused for repeated calls; 0 turns the cache off.'),
    cacheMaxNumbers: z.number().int().positive().default(10_000).describe('At most this many numbers are cached; the oldest go first.'),
    callerParameter: nonEmpty.default('caller').describe("Request parameter (query, JSON or form) holding the caller's number."),
    responseFormat: z
      .enum(['json', 'text'])
      .default('json')
      .describe('`json`: `{ "<responseKey>": "<destination>" }`; `text`: the destination alone as the body.'),
    responseKey: nonEmpty
      .default('destination')
      .describe('JSON key of the destination: the "name in response for destination" set in Ringostat.'),
    continueAnswer: z
      .enum(['empty', 'no-content'])
      .default('empty')
      .describe('How "continue with your own scheme" is answered: `empty` = 200 with an empty destination, `no-content` = 204.'),
  })
  .strict()
  .prefault({})
  .describe('Smart routing: the endpoint Ringostat asks, during the call, which manager owns the caller (S1–S3).');
export type RoutingSettings = z.infer<typeof routingSchema>;

const minutes = (fallback: number) => z.number().int().positive().max(7 * 24 * 60).default(fallback);

/**
 * Reconciliation with the telephony's call log (L1): a Temporal Schedule compares the log with the calls
 * callmatrix has, every few minutes, over a sliding window that overlaps the previous one.
 */
const reconciliationSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe('Compare the call log with the calls received. Needs RINGOSTAT_API_KEY; without it reconciliation stays off.'),
    intervalMinutes: minutes(5).describe('How often a reconciliation runs.'),
    windowMinutes: minutes(5).describe(
      'The newest stretch of call starts each run checks; at least intervalMinutes, or calls between runs go unchecked.',
    ),
    overlapMinutes: minutes(55).describe(
      'How far before its newest stretch each run looks again: covers calls up to about an hour long (the log is by ' +
        'start time; longer ones: maxCallMinutes), a missed run and a call log that is late to list a call.',
    ),
    settleMinutes: minutes(2).describe(
      "Calls that started less than this ago are left to their webhooks: a call in progress or just ended is not 'lost'.",
    ),
    maxCallMinutes: minutes(240).describe(
      'The longest call reconciliation recovers: calls that started before the sliding window (the log is by start ' +
        'time) and lasted up to this long are found by a sweep every longCallSweepMinutes. Longer ones: callmatrix backfill.',
    ),
    longCallSweepMinutes: minutes(60).describe(
      'How often a run also looks maxCallMinutes back for long calls; at least intervalMinutes.',
    ),
    timeZone: z
      .string()
      .refine(isTimeZone, 'an IANA time zone such as Europe/Kyiv')
      .optional()
      .describe(
        "The Ringostat project's time zone for the call log (its from/to and call times are wall-clock times in it). " +
          "Default: telephony.timeZone, the same fact; with neither set, the CRM account's time zone, as for webhooks.",
      ),
  })
  .strict()
  .refine((r) => r.windowMinutes >= r.intervalMinutes, {
    message: 'windowMinutes must be at least intervalMinutes, or the calls between two runs are never checked',
    path: ['windowMinutes'],
  })
  .refine((r) => r.longCallSweepMinutes >= r.intervalMinutes, {
    message: 'longCallSweepMinutes must be at least intervalMinutes: the sweep is made by one run in each of its periods',
    path: ['longCallSweepMinutes'],
  })
  .prefault({});

export const settingsSchema = z
  .object({
    telephony: z
      .object({
        provider: z.literal('ringostat').default('ringostat').describe('The telephony that sends the webhooks.'),
        defaultCountry: z
          .string()
          .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code such as UA')
          .refine((code) => !/^[A-Z]{2}$/.test(code) || isSupportedCountry(code), 'an ISO 3166-1 alpha-2 code of a country with phone numbers, such as UA')
          .default('UA')
          .describe('Country used to read numbers written without a country code (e.g. `098 123 45 67`).'),
        timeZone: z
          .string()
          .trim()
          .refine(isTimeZone, 'an IANA time zone such as Europe/Kyiv')
          .optional()
          .describe(
            'IANA time zone the telephony writes call times without an offset in (Ringostat: the project\'s time). ' +
              "Default: the CRM account's time zone (Zoho's org settings). Times with an offset and Unix timestamps need none.",
          ),
        parameterNames: z
          .record(nonEmpty, nonEmpty)
          .default({})
          .describe(
            "Renames telephony parameters: product name → the name chosen in the telephony's webhook settings, " +
              'e.g. `{ caller: "phone" }` when the webhook sends the caller as `phone`.',
          ),
      })
      .strict()
      .prefault({}),
    seniorManager: z
      .object({ zohoUserId: nonEmpty.describe('Zoho user id of the senior manager (A2).') })
      .strict()
      .optional()
      .describe('Owner of missed-call leads and of "check the integration settings" tasks.'),
    employees: z.array(employeeSchema).default([]).describe('Telephony employees mapped to Zoho users (A2).'),
    mappings: z
      .object({ Leads: fieldMappingSchema, Contacts: fieldMappingSchema, Deals: fieldMappingSchema })
      .strict()
      .prefault({})
      .describe('Per-module mappings of telephony parameters to Zoho custom fields (D3).'),
    newRecords: newRecordsSchema,
    pipelines: z
      .object({
        rules: z.array(pipelineRuleSchema).default([]).describe('First matching rule wins (D4).'),
      })
      .strict()
      .prefault({}),
    matrix: z
      .object({
        mode: z
          .enum(['create', 'update-existing'])
          .default('create')
          .describe(
            '`create`: the recommended matrix. `update-existing`: entities are made by another integration; ' +
              'find them and write the call data into them, never create (O2).',
          ),
        createBeforeCall: z
          .boolean()
          .default(false)
          .describe('Create the lead and task when the call starts, owned by the senior manager (O1).'),
        beforeCallOwner: z
          .enum(['senior-manager', 'answering-manager'])
          .default('senior-manager')
          .describe(
            'O1: who owns the lead and task created while the call rang, once it is over. `senior-manager` (the article): ' +
              'they stay with the senior manager, who hands them out. `answering-manager`: they go to whoever the call ' +
              "ends with — the employee who answered, for a missed call the manager the matrix gives it to.",
          ),
        callRecords: z
          .boolean()
          .default(true)
          .describe(
            "Log every call the matrix handles in Zoho's Calls module, once (C1). Calls to unknown numbers (M11) only " +
              'when their scenario switch `callRecord` says so; a scenario switch wins over this.',
          ),
        scenarios: z
          .partialRecord(z.enum(SCENARIOS), scenarioActionsSchema)
          .default({})
          .describe('Per-scenario switches over the recommended matrix (O3).'),
      })
      .strict()
      .prefault({}),
    tasks: z
      .object({
        callbackDueMinutes: z
          .number()
          .int()
          .positive()
          .default(60)
          .describe('Due time of "call the client back" tasks (M8, M9, M13, M14), in minutes after the call.'),
        reviewDueMinutes: z
          .number()
          .int()
          .positive()
          .default(180)
          .describe('Due time of the open task for the responsible manager (M5, M7: 3 hours), in minutes.'),
      })
      .strict()
      .prefault({}),
    calls: z
      .object({
        endEventTimeoutMinutes: z
          .number()
          .positive()
          .default(240)
          .describe('How long a call waits for its end event before it is processed with what it has (fractions allowed).'),
        resendWindowDays: z
          .number()
          .int()
          .positive()
          .max(30)
          .default(3)
          .describe(
            'After a re-activation with "send data to the CRM", calls from today and the days before it (this many ' +
              "days in all, in the CRM account's time zone) are written; older ones end as expired (R2).",
          ),
        recordingGraceMinutes: z
          .number()
          .min(0)
          .max(24 * 60)
          .default(30)
          .describe(
            'How long an answered call or voicemail written without a recording waits for one (C2): a recording link ' +
              'arriving within it, in a later webhook of the call or from the call log (L1), is added to the call\'s ' +
              'Task(s) and Calls record once. 0 switches it off.',
          ),
      })
      .strict()
      .prefault({}),
    reconciliation: reconciliationSchema,
    callbacks: z
      .object({
        closeWhenReached: z
          .boolean()
          .default(true)
          .describe(
            'Complete an open callback task callmatrix created (M8, M9, M13, M14) once a later call reaches the client: an answered ' +
              'outgoing call from any employee or an answered incoming call (C3). Tasks callmatrix did not create are never touched.',
          ),
        windowHours: z
          .number()
          .int()
          .positive()
          .max(24 * 30)
          .default(72)
          .describe('Only callback tasks created at most this many hours before the call that reaches the client are completed (C3).'),
      })
      .strict()
      .prefault({}),
    routing: routingSchema,
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;
