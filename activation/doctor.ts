/**
 * `callmatrix doctor`: checks the live setup and says, for each problem, what is wrong and how to fix it.
 * `diagnose` is pure (facts in, problems out); `gatherDoctorFacts` asks the store and Zoho for the facts.
 */
import { offFromScheduleNote, reconciliationOff, RECONCILIATION_OFF_REASON, type ReconciliationOff } from '../config/reconciliation-off';
import { MAPPED_MODULES, type MappedModule, type Settings } from '../matrix/settings-schema';
import { validateMappings, validatePipelineRules, type CrmPipeline, type MappingError, type ZohoFieldMeta } from '../matrix';
import { DEFAULT_LEAD_FIELDS } from '../matrix/fields';
import { ZohoRateLimitError, type ZohoClient, type ZohoUser } from '../zoho';
import { integrationHealth, type ActivationChoices, type ActivationStore, type IntegrationHealth } from './credential-store';
import { effectiveSettings } from './effective-settings';
import { missingScopes, OPTIONAL_SCOPES, REQUESTED_SCOPES } from './scopes';
import type { DeploymentFacts } from '../temporal/deployment-facts';

export interface Problem {
  /** The SPEC rule the problem breaks; `Operations` for the deployment itself (the SPEC's section without numbers). */
  rule: 'A1' | 'A2' | 'A3' | 'D2' | 'D3' | 'D4' | 'L1' | 'R1' | 'Operations';
  problem: string;
  fix: string;
}

export interface DoctorFacts {
  health: IntegrationHealth;
  /** Scopes Zoho granted; undefined when unknown (credentials taken over from ZOHO_* variables). */
  grantedScopes?: string[];
  fileSettings: Settings;
  choices: ActivationChoices;
  /** What the CRM says; undefined when it could not be asked (`zohoError` says why). */
  crm?: {
    fieldsByModule: Record<MappedModule, ZohoFieldMeta[]>;
    pipelines: CrmPipeline[];
    /** Every user, inactive ones included. */
    users: ZohoUser[];
  };
  zohoError?: string;
  /** Zoho refused for its limits (throttled token requests, 429): waiting fixes it, not the network or a re-activation. */
  zohoLimited?: boolean;
  /**
   * Whether this process's environment configures the telephony's call log (RINGOSTAT_API_KEY), read as the worker
   * reads it; undefined when not known (the activation pages, which only create fields): then not judged.
   */
  callLogConfigured?: boolean;
  /** What Temporal knows of the deployment (its workers, the reconciliation Schedule); undefined when not asked. */
  deployment?: DeploymentFacts | { temporalError: string };
}

export const REACTIVATE = 'open /activation on the webhook shim, or run `callmatrix activate --dc <dc> --client-id … --client-secret … --code <grant code> --resend|--no-resend`';

function integrationProblems(facts: DoctorFacts): Problem[] {
  const { health } = facts;
  const problems: Problem[] = [];
  if (health.status === 'not-connected') {
    problems.push({ rule: 'A1', problem: 'Zoho CRM is not connected: no authorisation is stored.', fix: `Activate: ${REACTIVATE}.` });
  }
  if (health.status === 'broken') {
    problems.push({
      rule: 'R1',
      problem: `the integration is broken since ${health.since}: ${health.reason}. Calls are kept, suspended.`,
      fix: `Re-activate (${REACTIVATE}); --resend writes the suspended calls of the resend window.`,
    });
  }
  const missing = facts.grantedScopes ? missingScopes(facts.grantedScopes) : [];
  if (missing.length) {
    problems.push({
      rule: 'A1',
      problem: `the authorisation lacks the scopes ${missing.join(', ')}.`,
      fix: `Re-activate: the page asks for every scope; for a self-client grant code select ${REQUESTED_SCOPES}.`,
    });
  }
  if (facts.zohoError && health.status !== 'not-connected') {
    const fix = facts.zohoLimited
      ? 'Wait a few minutes and run the doctor again: Zoho allows about 10 token refreshes per 10 minutes per authorisation, and limits API requests per org.'
      : `Check the network and ZOHO_DC (or ZOHO_ACCOUNTS_URL); if Zoho refuses the authorisation, re-activate (${REACTIVATE}).`;
    problems.push({ rule: 'A1', problem: `Zoho CRM could not be read: ${facts.zohoError}`, fix });
  }
  return problems;
}

function userProblems(settings: Settings, facts: DoctorFacts): Problem[] {
  const problems: Problem[] = [];
  const senior = settings.seniorManager?.zohoUserId;
  if (!senior) {
    problems.push({
      rule: 'A2',
      problem: 'no senior manager is chosen: missed-call leads and "check the integration settings" tasks get no owner.',
      fix: 'Choose one: `callmatrix activate senior <user id>` (ids: `callmatrix users`), the /activation/users page, or seniorManager.zohoUserId in the settings file.',
    });
  }
  const mapped = new Set(settings.employees.map((e) => e.code));
  for (const employee of facts.fileSettings.employees.filter((e) => !mapped.has(e.code))) {
    problems.push({
      rule: 'A2',
      problem: `employee ${employee.code} (${employee.name}) is mapped to no Zoho user: calls on its lines count as unmapped (M3).`,
      fix: `Map it: \`callmatrix activate map ${employee.code} <user id>\` or the /activation/users page.`,
    });
  }
  const known = new Set(facts.fileSettings.employees.map((e) => e.code));
  for (const code of Object.keys(facts.choices.employees).filter((c) => !known.has(c))) {
    problems.push({
      rule: 'A2',
      problem: `a mapping chosen at activation names employee ${code}, which the settings file does not have.`,
      fix: `Add the employee to the settings file, or remove the mapping: \`callmatrix activate map ${code} --remove\`.`,
    });
  }
  if (!facts.crm) return problems;
  const users = new Map(facts.crm.users.map((u) => [u.id, u]));
  const assignments = [
    ...(senior ? [{ who: 'the senior manager', userId: senior, fix: 'callmatrix activate senior <user id>' }] : []),
    ...settings.employees.map((e) => ({ who: `employee ${e.code} (${e.name})`, userId: e.zohoUserId!, fix: `callmatrix activate map ${e.code} <user id>` })),
  ];
  for (const { who, userId, fix } of assignments) {
    const user = users.get(userId);
    if (user && user.status === 'active') continue;
    problems.push({
      rule: 'A2',
      problem: user ? `${who} is Zoho user ${user.full_name} (${userId}), whose status is ${user.status}.` : `${who} is Zoho user ${userId}, which this Zoho org does not have.`,
      fix: `Choose an active user: \`${fix}\` (active users: \`callmatrix users\`).`,
    });
  }
  return problems;
}

/** A3 is about the default fields' existence and type; one field receiving two parameters is a D3 mapping problem. */
const isA3FieldProblem = (error: MappingError): boolean =>
  error.problem !== 'several-parameters' && error.module === 'Leads' && Object.hasOwn(DEFAULT_LEAD_FIELDS, error.field);

function mappingFix(error: MappingError): string {
  if (isA3FieldProblem(error)) {
    return error.problem === 'missing'
      ? `In Zoho CRM, Setup › Modules and Fields › Leads: add a Single Line field whose API name is ${error.field}.`
      : `In Zoho CRM, Setup › Modules and Fields › Leads: replace ${error.field} by a Single Line field of that API name.`;
  }
  if (error.problem === 'several-parameters') return `In the settings file, mappings.${error.module}: give each parameter its own field.`;
  return `Create ${error.field} as a Single Line field on ${error.module} in Zoho CRM, or map the parameter to an existing String field in mappings.${error.module}.`;
}

/** `newRecords.leadSource` must be a value of each module's Lead Source picklist, where the module has one (D2). */
function leadSourceProblems(settings: Settings, facts: DoctorFacts): Problem[] {
  const source = settings.newRecords.leadSource;
  return MAPPED_MODULES.flatMap((module): Problem[] => {
    const values = facts.crm?.fieldsByModule[module]?.find((field) => field.api_name === 'Lead_Source')?.pick_list_values?.map((v) => v.actual_value);
    if (!values || values.includes(source)) return [];
    return [
      {
        rule: 'D2',
        problem: `${module}: Lead Source has no value '${source}' (newRecords.leadSource); it has: ${values.filter((v) => v !== '-None-').join(', ')}.`,
        fix: `Set newRecords.leadSource in the settings file to one of those values, or add '${source}' to the picklist (Zoho CRM, Setup › Modules and Fields › ${module} › Lead Source).`,
      },
    ];
  });
}

/** A problem fails the check; a warning is a choice the admin made, printed with what it costs. */
type Finding = { severity: 'problem' | 'warning'; finding: Problem };

/**
 * L1: without reconciliation a call whose webhooks never arrived (Ringostat gives up after 3 re-sends) never reaches
 * the CRM, and nothing else says so: the worker only pauses its Schedule. On but unable to read the call log is a
 * problem. Switched off in the settings is the admin's documented choice: a warning, which does not fail the check.
 * The Schedule, as the workers set it, is the truth; without it (Temporal not asked, or no worker ever started) the
 * doctor judges from its own settings file and environment.
 */
function reconciliationFinding(facts: DoctorFacts): Finding | undefined {
  const schedule = facts.deployment && 'taskQueue' in facts.deployment ? facts.deployment.reconciliationSchedule : undefined;
  if (schedule) return schedule.paused ? pausedScheduleFinding(schedule.note) : undefined;
  if (facts.callLogConfigured === undefined) return undefined;
  const off = reconciliationOff(facts.fileSettings.reconciliation, facts.callLogConfigured);
  return off && reconciliationOffFinding(off);
}

function pausedScheduleFinding(note: string): Finding {
  const off = offFromScheduleNote(note);
  if (off) return reconciliationOffFinding(off);
  return {
    severity: 'problem',
    finding: {
      rule: 'L1',
      problem: `the reconciliation Schedule is paused in Temporal${note ? ` (note: "${note}")` : ''}, not by a worker: a call whose webhooks never arrived is never written to the CRM.`,
      fix: 'Unpause it (Temporal UI › Schedules), or restart a worker: it sets the Schedule from the settings again.',
    },
  };
}

function reconciliationOffFinding(off: ReconciliationOff): Finding {
  const problem = `reconciliation with the telephony's call log is off (${RECONCILIATION_OFF_REASON[off]}): a call whose webhooks never arrived is never written to the CRM.`;
  const key = 'RINGOSTAT_API_KEY on the worker (Ringostat: Integration → Ringostat API)';
  if (off === 'no-api-key') {
    const fix = `To recover such calls, set ${key} and restart it; to run without reconciliation on purpose, set reconciliation.enabled: false in the settings file.`;
    return { severity: 'problem', finding: { rule: 'L1', problem, fix } };
  }
  const fix = `To recover such calls, set reconciliation.enabled: true in the settings file, with ${key}, and restart the worker; \`callmatrix backfill\` recovers a past range.`;
  return { severity: 'warning', finding: { rule: 'L1', problem, fix } };
}

/** Calls are accepted into Temporal and wait there; without a worker, or without Temporal, none reaches the CRM. */
function deploymentProblems({ deployment }: DoctorFacts): Problem[] {
  if (!deployment) return [];
  if ('temporalError' in deployment) {
    return [{ rule: 'Operations', problem: `Temporal could not be asked: ${deployment.temporalError.split('\n')[0]}. The webhook shim refuses webhooks (503) while it cannot reach Temporal.`, fix: deployment.temporalError.split('\n').slice(1).join(' ') || 'Check TEMPORAL_ADDRESS and that Temporal runs.' }];
  }
  if (deployment.workers.length > 0) return [];
  return [
    {
      rule: 'Operations',
      problem: `no worker has polled task queue ${deployment.taskQueue} in the last minutes: calls are accepted and wait in Temporal, but none is written to the CRM.`,
      fix: `Start \`callmatrix worker\` with the same TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and CALLMATRIX_TASK_QUEUE (${deployment.taskQueue}) as the webhook shim.`,
    },
  ];
}

export function diagnose(facts: DoctorFacts): Problem[] {
  const settings = effectiveSettings(facts.fileSettings, { choices: () => facts.choices });
  const mappingProblems = validateMappings(settings, facts.crm?.fieldsByModule ?? {}).map(
    (error): Problem => ({ rule: isA3FieldProblem(error) ? 'A3' : 'D3', problem: error.message, fix: mappingFix(error) }),
  );
  const pipelineProblems = facts.crm
    ? validatePipelineRules(settings, facts.crm.pipelines).map(
        (message): Problem => ({ rule: 'D4', problem: message, fix: 'Correct the rule in the settings file, or create the pipeline or stage in Zoho CRM (Setup › Customization › Pipelines).' }),
      )
    : [];
  const reconciliation = reconciliationFinding(facts);
  return [
    ...deploymentProblems(facts),
    ...integrationProblems(facts),
    ...userProblems(settings, facts),
    ...mappingProblems,
    ...leadSourceProblems(settings, facts),
    ...pipelineProblems,
    ...(reconciliation?.severity === 'problem' ? [reconciliation.finding] : []),
  ];
}

/** What is worth knowing but not wrong: a choice the admin made, with what it costs. Printed, no exit code. */
export function warnings(facts: DoctorFacts): Problem[] {
  const reconciliation = reconciliationFinding(facts);
  return reconciliation?.severity === 'warning' ? [reconciliation.finding] : [];
}

/**
 * What re-activating would gain, without anything being wrong: an authorisation from before composite requests
 * were asked for works with one Zoho request per query and per record written (issue 15). Not a problem, so no exit code.
 */
export function suggestions(facts: Pick<DoctorFacts, 'grantedScopes'>): string[] {
  if (!facts.grantedScopes || missingScopes(facts.grantedScopes, OPTIONAL_SCOPES).length === 0) return [];
  return [
    `The authorisation lacks ${OPTIONAL_SCOPES.join(', ')}: each query of the caller lookup and each record a call writes is its own Zoho request. ` +
      `Re-activate (${REACTIVATE}) to look the caller up in one composite request and write a call's records in one composite request (up to 5 per request, rolled back together on failure): ` +
      'an M1 call then costs 2 requests instead of 6, 2 round trips instead of 4, and 3 API credits instead of 6.',
  ];
}

export function formatSuggestions(lines: readonly string[]): string {
  return lines.map((line) => `Suggestion: ${line}\n`).join('');
}

async function readCrm(zoho: ZohoClient): Promise<NonNullable<DoctorFacts['crm']>> {
  const [fields, users, pipelines] = await Promise.all([
    Promise.all(MAPPED_MODULES.map((module) => zoho.getFields(module))),
    zoho.listUsers('AllUsers'),
    zoho.dealPipelines(),
  ]);
  return {
    fieldsByModule: Object.fromEntries(MAPPED_MODULES.map((module, i) => [module, fields[i]])) as Record<MappedModule, ZohoFieldMeta[]>,
    users,
    pipelines,
  };
}

export async function gatherDoctorFacts(
  zoho: ZohoClient,
  store: ActivationStore,
  fileSettings: Settings,
  environment: Pick<DoctorFacts, 'callLogConfigured' | 'deployment'> = {},
): Promise<DoctorFacts> {
  const health = integrationHealth(store);
  const facts: DoctorFacts = { health, grantedScopes: store.connection()?.scopes, fileSettings, choices: store.choices(), ...environment };
  // Broken: Zoho refused the authorisation, and would refuse the doctor's reads too (R1 names the fix); the calls
  // ask Zoho nothing meanwhile, and neither does the doctor, sparing the few token refreshes Zoho allows.
  if (health.status !== 'connected') return facts;
  try {
    return { ...facts, crm: await readCrm(zoho) };
  } catch (error) {
    return { ...facts, zohoError: error instanceof Error ? error.message : String(error), zohoLimited: error instanceof ZohoRateLimitError };
  }
}

const numbered = (findings: readonly Problem[]): string => findings.map((p, i) => `${i + 1}. [${p.rule}] ${p.problem}\n   Fix: ${p.fix}\n`).join('');

export function formatProblems(problems: readonly Problem[]): string {
  if (problems.length === 0) return 'No problems found.\n';
  return `${problems.length} problem${problems.length === 1 ? '' : 's'} found:\n${numbered(problems)}`;
}

export function formatWarnings(found: readonly Problem[]): string {
  if (found.length === 0) return '';
  return `${found.length} warning${found.length === 1 ? '' : 's'} (not counted as problems):\n${numbered(found)}`;
}
