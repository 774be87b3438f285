/** `callmatrix doctor`: every problem kind from pure facts (A1, A2, A3, D3, D4, L1, R1, the deployment), then against a live (emulated) org. */
import path from 'node:path';
import { Command } from 'commander';
import { diagnose, formatProblems, formatWarnings, gatherDoctorFacts, REQUIRED_SCOPES, suggestions, warnings, type DoctorFacts, type Problem } from '../../activation';
import { activateWithCode } from '../../activation';
import { registerActivationCommands, type ActivationCliContext } from '../../cli/activation-commands';
import type { ZohoUser } from '../../zoho';
import { createZohoClient } from '../../zoho';
import { loadSettingsFile } from '../../config/load-settings';
import type { Settings } from '../../matrix/settings-schema';
import { startEmulatedOrg } from '../support/emulated-org';
import { scheduleOffNote } from '../../config/reconciliation-off';
import type { DeploymentFacts } from '../../temporal/deployment-facts';
import { fileSettings, startZohoOrg, storeFixture } from './support';

const text = (api_name: string) => ({ api_name, data_type: 'text' });
const A3_FIELDS = ['rs_utm_source', 'rs_utm_medium', 'rs_utm_campaign', 'rs_utm_term', 'rs_utm_content', 'rs_google_client_id'];
const user = (id: string, full_name: string, status = 'active'): ZohoUser => ({ id, full_name, email: `${id}@example.com`, status });

/** A healthy setup: every problem test changes one fact. */
function healthy(): DoctorFacts {
  return {
    health: { status: 'connected', since: '2025-01-01T00:00:00.000Z' },
    grantedScopes: ['ZohoCRM.modules.ALL', 'ZohoCRM.settings.ALL', 'ZohoCRM.users.ALL', 'ZohoCRM.org.READ', 'ZohoCRM.coql.READ', 'ZohoSearch.securesearch.READ'],
    fileSettings: fileSettings({
      seniorManager: { zohoUserId: 'u1' },
      mappings: { Deals: { pool_name: 'Pool' } },
      pipelines: { rules: [{ parameter: 'pool_name', equals: 'Ads', pipeline: 'New', stage: 'New Request' }] },
    }),
    choices: { employees: { '101': 'u2', '102': 'u3' } },
    crm: {
      fieldsByModule: { Leads: A3_FIELDS.map(text), Contacts: [], Deals: [text('Pool')] },
      pipelines: [{ name: 'New', isDefault: false, openStages: ['New Request', 'In Progress'] }],
      users: [user('u1', 'Olena Koval'), user('u2', 'Ivan Petrenko'), user('u3', 'Maria Shevchenko'), user('u4', 'Taras Melnyk', 'inactive')],
    },
  };
}

const only = (facts: DoctorFacts): Problem => {
  const problems = diagnose(facts);
  expect(problems).toHaveLength(1);
  return problems[0];
};

describe('doctor: diagnose', () => {
  it('finds nothing wrong in a healthy setup', () => {
    expect(diagnose(healthy())).toEqual([]);
    expect(formatProblems([])).toBe('No problems found.\n');
  });

  it('A1: Zoho CRM not connected', () => {
    const facts = { ...healthy(), health: { status: 'not-connected' as const }, crm: undefined };
    expect(only(facts)).toMatchObject({ rule: 'A1', problem: expect.stringContaining('not connected'), fix: expect.stringContaining('callmatrix activate') });
  });

  it('R1: integration broken, with its reason and time', () => {
    const facts = { ...healthy(), health: { status: 'broken' as const, reason: 'invalid_code', since: '2025-02-01T10:00:00.000Z' } };
    expect(only(facts)).toMatchObject({ rule: 'R1', problem: expect.stringContaining('broken since 2025-02-01T10:00:00.000Z: invalid_code'), fix: expect.stringContaining('--resend') });
  });

  it('A1: scopes missing from the token, each named', () => {
    const problem = only({ ...healthy(), grantedScopes: ['ZohoCRM.modules.ALL', 'ZohoCRM.settings.READ', 'ZohoCRM.users.READ', 'ZohoCRM.org.READ'] });
    expect(problem.rule).toBe('A1');
    expect(problem.problem).toBe('the authorisation lacks the scopes ZohoSearch.securesearch.READ, ZohoCRM.coql.READ.');
  });

  it('A1: narrow scopes that cover the required ones are enough; unknown scopes (ZOHO_* credentials) are not judged', () => {
    expect(diagnose({ ...healthy(), grantedScopes: [...REQUIRED_SCOPES] })).toEqual([]);
    expect(diagnose({ ...healthy(), grantedScopes: undefined })).toEqual([]);
  });

  it('A1 (issue 15): without the composite scope nothing is wrong, but the doctor says what re-activation gains', () => {
    expect(diagnose({ ...healthy(), grantedScopes: [...REQUIRED_SCOPES] })).toEqual([]);
    const [suggestion] = suggestions({ grantedScopes: [...REQUIRED_SCOPES] });
    expect(suggestion).toMatch(/lacks ZohoCRM\.composite_requests\.CUSTOM.*Re-activate.*one composite request/);
    expect(suggestions({ grantedScopes: [...REQUIRED_SCOPES, 'ZohoCRM.composite_requests.CUSTOM'] })).toEqual([]);
    expect(suggestions({ grantedScopes: undefined })).toEqual([]);
  });

  it('A1: Zoho could not be read', () => {
    expect(only({ ...healthy(), crm: undefined, zohoError: 'Zoho Accounts refused the grant (invalid_code)' })).toMatchObject({
      rule: 'A1',
      problem: 'Zoho CRM could not be read: Zoho Accounts refused the grant (invalid_code)',
    });
  });

  it('A1: Zoho refusing for its limits (token refreshes throttled) says to wait, not to check the network', () => {
    const limited = only({ ...healthy(), crm: undefined, zohoError: 'Zoho Accounts throttled token requests: Access Denied', zohoLimited: true });
    expect(limited.fix).toMatch(/^Wait a few minutes/);
    expect(limited.fix).not.toContain('network');
  });

  it('A2: senior manager unset', () => {
    const facts = healthy();
    facts.fileSettings = { ...facts.fileSettings, seniorManager: undefined };
    expect(only(facts)).toMatchObject({ rule: 'A2', problem: expect.stringContaining('no senior manager'), fix: expect.stringContaining('callmatrix activate senior') });
  });

  it('A2: an employee mapped to no user, and a mapping for an employee the file lacks', () => {
    const problems = diagnose({ ...healthy(), choices: { employees: { '101': 'u2', '999': 'u3' } } });
    expect(problems.map((p) => [p.rule, p.problem])).toEqual([
      ['A2', 'employee 102 (Maria Shevchenko) is mapped to no Zoho user: calls on its lines count as unmapped (M3).'],
      ['A2', 'a mapping chosen at activation names employee 999, which the settings file does not have.'],
    ]);
  });

  it('A2: mapped users that are inactive or unknown to the org', () => {
    const problems = diagnose({ ...healthy(), choices: { seniorManagerId: 'gone', employees: { '101': 'u4', '102': 'u3' } } });
    expect(problems.map((p) => p.problem)).toEqual([
      'the senior manager is Zoho user gone, which this Zoho org does not have.',
      'employee 101 (Ivan Petrenko) is Zoho user Taras Melnyk (u4), whose status is inactive.',
    ]);
    expect(problems.every((p) => p.rule === 'A2' && p.fix.includes('callmatrix users'))).toBe(true);
  });

  it('A3: rs_* fields missing or not String on Leads', () => {
    const facts = healthy();
    const leads = A3_FIELDS.filter((f) => f !== 'rs_utm_term' && f !== 'rs_google_client_id').map(text);
    facts.crm!.fieldsByModule.Leads = [...leads, { api_name: 'rs_google_client_id', data_type: 'integer' }];
    const problems = diagnose(facts);
    expect(problems.map((p) => [p.rule, p.problem.split(' (')[0]])).toEqual([
      ['A3', 'Leads: field rs_utm_term does not exist'],
      ['A3', "Leads: field rs_google_client_id is of type 'integer', not String"],
    ]);
    expect(problems[0].fix).toContain('add a Single Line field whose API name is rs_utm_term');
  });

  it('D3: mapping targets missing, not String, or used twice', () => {
    const facts = healthy();
    facts.fileSettings = { ...facts.fileSettings, mappings: { Leads: { landing: 'rs_utm_source' }, Contacts: { pool_name: 'Missing_Field' }, Deals: { pool_name: 'Amount' } } };
    facts.crm!.fieldsByModule.Deals = [{ api_name: 'Amount', data_type: 'currency' }];
    const problems = diagnose(facts);
    expect(problems.map((p) => p.rule)).toEqual(['D3', 'D3', 'D3']);
    expect(problems.map((p) => p.problem).join('\n')).toMatch(/mappings\.Leads: field rs_utm_source would receive/);
    expect(problems.map((p) => p.problem).join('\n')).toMatch(/Contacts: field Missing_Field does not exist/);
    expect(problems.map((p) => p.problem).join('\n')).toMatch(/Deals: field Amount is of type 'currency', not String/);
  });

  it('D2: a lead source that is not on the Lead Source picklist of a module that has one', () => {
    const facts = healthy();
    const picklist = (...values: string[]) => ({ api_name: 'Lead_Source', data_type: 'picklist', pick_list_values: values.map((actual_value) => ({ actual_value })) });
    facts.crm!.fieldsByModule.Leads.push(picklist('-None-', 'Advertisement', 'Cold Call'));
    expect(diagnose(facts)).toEqual([]);
    facts.crm!.fieldsByModule.Deals.push(picklist('-None-', 'Cold Call'));
    expect(only(facts)).toMatchObject({
      rule: 'D2',
      problem: "Deals: Lead Source has no value 'Advertisement' (newRecords.leadSource); it has: Cold Call.",
      fix: expect.stringContaining('Setup › Modules and Fields › Deals › Lead Source'),
    });
    expect(diagnose({ ...facts, fileSettings: fileSettings({ ...facts.fileSettings, newRecords: { leadSource: 'Cold Call' } }) })).toEqual([]);
  });

  it('D4: pipelines and stages named in rules that do not exist', () => {
    const facts = healthy();
    facts.fileSettings = {
      ...facts.fileSettings,
      pipelines: { rules: [{ parameter: 'pool_name', equals: 'a', pipeline: 'Nope' }, { parameter: 'pool_name', equals: 'b', pipeline: 'New', stage: 'Closed Won' }] },
    };
    const problems = diagnose(facts);
    expect(problems.map((p) => [p.rule, p.problem])).toEqual([
      ['D4', "pipelines.rules[0]: the CRM has no pipeline 'Nope' (it has: New)."],
      ['D4', "pipelines.rules[1]: 'Closed Won' is not an open stage of pipeline 'New' (open stages: New Request, In Progress)."],
    ]);
  });

  it('L1: reconciliation on without RINGOSTAT_API_KEY is a problem; switched off in the settings, a warning; not known, not judged', () => {
    const noKey = only({ ...healthy(), callLogConfigured: false });
    expect(noKey).toMatchObject({
      rule: 'L1',
      problem: expect.stringMatching(/reconciliation .* is off \(RINGOSTAT_API_KEY is not set on the worker\): a call whose webhooks never arrived is never written/),
      fix: expect.stringMatching(/set RINGOSTAT_API_KEY on the worker .*; to run without reconciliation on purpose, set reconciliation\.enabled: false/),
    });
    expect(warnings({ ...healthy(), callLogConfigured: false })).toEqual([]);

    const switchedOff = { ...healthy(), callLogConfigured: false, fileSettings: fileSettings({ ...healthy().fileSettings, reconciliation: { enabled: false } }) };
    expect(diagnose(switchedOff)).toEqual([]);
    expect(warnings(switchedOff)).toEqual([
      { rule: 'L1', problem: expect.stringContaining('(reconciliation.enabled is false in the settings)'), fix: expect.stringContaining('set reconciliation.enabled: true') },
    ]);

    expect([diagnose({ ...healthy(), callLogConfigured: true }), warnings({ ...healthy(), callLogConfigured: true })]).toEqual([[], []]);
    expect([diagnose(healthy()), warnings(healthy())]).toEqual([[], []]);
    expect(formatWarnings([])).toBe('');
  });

  describe('the deployment, as Temporal knows it', () => {
    const deployment = (over: Partial<DeploymentFacts> = {}): DeploymentFacts => ({
      taskQueue: 'callmatrix',
      workers: ['4242@worker-1'],
      reconciliationSchedule: { paused: false, note: 'every 15 min' },
      ...over,
    });

    it('a worker polling and the Schedule running: nothing wrong, whatever the environment the doctor runs in', () => {
      expect([diagnose({ ...healthy(), callLogConfigured: false, deployment: deployment() }), warnings({ ...healthy(), deployment: deployment() })]).toEqual([[], []]);
    });

    it('no worker polls the task queue: calls wait in Temporal, none is written', () => {
      expect(only({ ...healthy(), deployment: deployment({ workers: [] }) })).toEqual({
        rule: 'Operations',
        problem: expect.stringContaining('no worker has polled task queue callmatrix in the last minutes: calls are accepted and wait in Temporal, but none is written'),
        fix: expect.stringContaining('Start `callmatrix worker` with the same TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and CALLMATRIX_TASK_QUEUE (callmatrix)'),
      });
    });

    it('Temporal cannot be asked: said in one problem, with the connection hint as the fix', () => {
      const temporalError = 'cannot reach Temporal at 127.0.0.1:7233 (in plain text): connection refused\nIs it running? Set TEMPORAL_ADDRESS.';
      expect(only({ ...healthy(), deployment: { temporalError } })).toEqual({
        rule: 'Operations',
        problem: 'Temporal could not be asked: cannot reach Temporal at 127.0.0.1:7233 (in plain text): connection refused. The webhook shim refuses webhooks (503) while it cannot reach Temporal.',
        fix: 'Is it running? Set TEMPORAL_ADDRESS.',
      });
    });

    it('L1: the Schedule the workers paused is the truth, not the environment the doctor runs in', () => {
      const noKeyOnWorker = deployment({ reconciliationSchedule: { paused: true, note: scheduleOffNote('no-api-key') } });
      expect(only({ ...healthy(), callLogConfigured: true, deployment: noKeyOnWorker })).toMatchObject({ rule: 'L1', problem: expect.stringContaining('(RINGOSTAT_API_KEY is not set on the worker)') });

      const disabled = deployment({ reconciliationSchedule: { paused: true, note: scheduleOffNote('disabled') } });
      expect(diagnose({ ...healthy(), callLogConfigured: true, deployment: disabled })).toEqual([]);
      expect(warnings({ ...healthy(), callLogConfigured: true, deployment: disabled })).toEqual([expect.objectContaining({ rule: 'L1', problem: expect.stringContaining('(reconciliation.enabled is false in the settings)') })]);
    });

    it('L1: a Schedule paused by hand is a problem, with its note and how to unpause it', () => {
      expect(only({ ...healthy(), deployment: deployment({ reconciliationSchedule: { paused: true, note: 'paused during the migration' } }) })).toEqual({
        rule: 'L1',
        problem: 'the reconciliation Schedule is paused in Temporal (note: "paused during the migration"), not by a worker: a call whose webhooks never arrived is never written to the CRM.',
        fix: 'Unpause it (Temporal UI › Schedules), or restart a worker: it sets the Schedule from the settings again.',
      });
    });

    it('L1: no Schedule yet (no worker ever started): judged from the environment, as before', () => {
      const noSchedule = deployment({ reconciliationSchedule: undefined });
      expect(only({ ...healthy(), callLogConfigured: false, deployment: noSchedule }).rule).toBe('L1');
      expect(diagnose({ ...healthy(), callLogConfigured: true, deployment: noSchedule })).toEqual([]);
    });
  });

  it('prints each problem with its rule and its fix', () => {
    const facts = { ...healthy(), health: { status: 'not-connected' as const }, crm: undefined };
    expect(formatProblems(diagnose(facts))).toMatch(/^1 problem found:\n1\. \[A1\] Zoho CRM is not connected.*\n {3}Fix: Activate/);
  });
});

/** Runs `callmatrix doctor` as the binary would, on this store, Zoho client and settings file: what it printed, its exit code. */
async function doctorCommand(context: Pick<ActivationCliContext, 'store' | 'zoho' | 'callLogConfigured'>, settings: Settings): Promise<{ out: string; exitCode: number }> {
  let out = '';
  process.exitCode = undefined;
  const program = new Command('callmatrix').exitOverride();
  registerActivationCommands(program, async () => ({
    ...context,
    fileSettings: () => settings,
    reactivate: async () => ({ workflowId: 'unused' }),
    print: (t) => (out += t),
    printError: (t) => (out += t),
    confirm: async () => false,
    close: async () => {},
  }));
  try {
    await program.parseAsync(['doctor'], { from: 'user' });
    return { out, exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = undefined;
  }
}

describe('doctor against the emulator (A1, A2, A3, D3, D4)', () => {
  it('reads the live org and reports what is wrong; exits 1 when something is', async () => {
    const org = await startZohoOrg();
    try {
      const fixture = storeFixture();
      const store = await fixture.open();
      const zoho = createZohoClient({ credentials: store, logger: fixture.logger });
      const settings = fileSettings({
        mappings: { Leads: { call_count: 'rs_call_count' } },
        pipelines: { rules: [{ parameter: 'pool_name', equals: 'Ads', pipeline: 'Contextual' }] },
      });

      expect(diagnose(await gatherDoctorFacts(zoho, store, settings)).map((p) => p.rule)).toEqual(['A1', 'A2', 'A2', 'A2']);

      const { code } = await org.admin.mintGrantCode({ scope: 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.ALL' });
      const identity = { dc: 'us' as const, clientId: org.emulator.clientId, clientSecret: org.emulator.clientSecret, accountsUrl: org.emulator.accountsUrl };
      await activateWithCode(store, { ...identity, code, via: 'grant-code' });
      await store.chooseSeniorManager(org.users.senior.id);
      await store.mapEmployee('101', org.users.inactive.id);
      await store.mapEmployee('102', org.users.maria.id);

      const problems = diagnose(await gatherDoctorFacts(zoho, store, settings));
      expect(problems.map((p) => `${p.rule} ${p.problem}`)).toEqual([
        'A1 the authorisation lacks the scopes ZohoSearch.securesearch.READ, ZohoCRM.coql.READ, ZohoCRM.org.READ.',
        `A2 employee 101 (Ivan Petrenko) is Zoho user Taras Melnyk (${org.users.inactive.id}), whose status is inactive.`,
        expect.stringMatching(/^D3 Leads: field rs_call_count is of type 'integer', not String/),
        "D4 pipelines.rules[0]: the CRM has no pipeline 'Contextual' (it has: Standard, New).",
      ]);

      // The command itself: same findings, exit code 1.
      const { out, exitCode } = await doctorCommand({ store, zoho, callLogConfigured: true }, settings);
      expect(exitCode).toBe(1);
      expect(out).toMatch(/^Integration: connected\n4 problems found:\n1\. \[A1\]/);
      expect(out).toContain('Fix: Re-activate');
    } finally {
      await org.close();
    }
  });
});

describe('doctor command: reconciliation (L1)', () => {
  /** Runs `callmatrix doctor` on an org the example settings fit (nothing else to report), as the binary would. */
  async function doctor(settings: Settings, callLogConfigured: boolean): Promise<{ out: string; exitCode: number }> {
    const org = await startEmulatedOrg({ seed: 'demo' });
    try {
      return await doctorCommand({ store: org.activation, zoho: org.zoho, callLogConfigured }, settings);
    } finally {
      await org.close();
    }
  }
  const example = loadSettingsFile(path.resolve(__dirname, '../../callmatrix.example.yaml'));

  it('without RINGOSTAT_API_KEY: one problem, with its rule and its fix, and exit code 1', async () => {
    const { out, exitCode } = await doctor(example, false);
    expect(out).toMatch(/^Integration: connected\n1 problem found:\n1\. \[L1\] reconciliation .* is off \(RINGOSTAT_API_KEY is not set on the worker\).*\n {3}Fix: .*set RINGOSTAT_API_KEY/);
    expect(exitCode).toBe(1);
  });

  it('switched off in the settings: a warning in the same format, exit code 0; with a key and on: nothing', async () => {
    const off = await doctor({ ...example, reconciliation: { ...example.reconciliation, enabled: false } }, true);
    expect(off.out).toMatch(/^Integration: connected\nNo problems found\.\n1 warning \(not counted as problems\):\n1\. \[L1\] .*reconciliation\.enabled is false.*\n {3}Fix: /);
    expect(off.exitCode).toBe(0);
    const on = await doctor(example, true);
    expect(on.out).toMatch(/^Integration: connected\nNo problems found\.\n/);
    expect(on.out).not.toContain('[L1]');
    expect(on.exitCode).toBe(0);
  });
});

describe('doctor command: a broken integration (R1, [Operations])', () => {
  it('reports the break once, with its fix, and asks Zoho nothing: no second problem saying Zoho "could not be read"', async () => {
    const org = await startEmulatedOrg({ seed: 'demo' });
    try {
      const example = loadSettingsFile(path.resolve(__dirname, '../../callmatrix.example.yaml'));
      await org.admin.revokeAllTokens();
      await org.activation.markBroken('Zoho Accounts refused the grant (invalid_code): the integration must be re-activated');
      await org.admin.clearRequests();
      const { out, exitCode } = await doctorCommand({ store: org.activation, zoho: org.zoho, callLogConfigured: true }, example);
      expect(out).toMatch(/^Integration: broken\n1 problem found:\n1\. \[R1\] the integration is broken since .*: Zoho Accounts refused the grant \(invalid_code\).*\n {3}Fix: Re-activate/);
      expect(exitCode).toBe(1);
      // While broken, the calls ask Zoho nothing (R1), and neither does the doctor: a refresh would only be refused again.
      expect(await org.admin.requests()).toEqual([]);
    } finally {
      await org.close();
    }
  });
});
