/** A1, A2 from a server without a browser: `callmatrix activate` with a self-client grant code, `users`, the choices. */
import { Command } from 'commander';
import { effectiveSettings, integrationHealth, type ActivationStore } from '../../activation';
import { registerActivationCommands, type ActivationCliContext } from '../../cli/activation-commands';
import { createZohoClient } from '../../zoho';
import { fileSettings, startZohoOrg, storeFixture, type ZohoOrg } from './support';

describe('callmatrix activate / users (A1, A2)', () => {
  let org: ZohoOrg;
  let store: ActivationStore;
  let out: string;
  let err: string;
  let reactivations: boolean[];

  /** Runs `callmatrix <args>` as the binary would, on this test's store and org. */
  async function callmatrix(...args: string[]): Promise<{ out: string; err: string; exitCode: number }> {
    out = '';
    err = '';
    process.exitCode = undefined;
    const program = new Command('callmatrix').exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    const context = async (): Promise<ActivationCliContext> => ({
      store,
      zoho: createZohoClient({ credentials: store, logger: storeLogger }),
      fileSettings: () => fileSettings(),
      accountsUrlOverride: org.emulator.accountsUrl,
      callLogConfigured: true,
      reactivate: async (resend) => {
        reactivations.push(resend);
        return { workflowId: 'reactivation' };
      },
      print: (text) => (out += text),
      printError: (text) => (err += text),
      confirm: async () => false,
      readLine: async () => `${org.emulator.clientSecret}\n`,
      close: async () => {},
    });
    registerActivationCommands(program, context);
    await program.parseAsync(args, { from: 'user' });
    const exitCode = Number(process.exitCode ?? 0);
    process.exitCode = undefined;
    return { out, err, exitCode };
  }

  const fixture = storeFixture();
  const storeLogger = fixture.logger;
  const grantCode = async () => (await org.admin.mintGrantCode()).code;
  const activate = async (...extra: string[]) =>
    callmatrix('activate', '--dc', 'us', '--client-id', org.emulator.clientId, '--client-secret', org.emulator.clientSecret, ...extra);

  beforeAll(async () => {
    org = await startZohoOrg();
  });
  afterAll(() => org.close());
  beforeEach(async () => {
    store = await storeFixture().open();
    reactivations = [];
  });

  it('A1: activates with a self-client grant code, stores the scopes, and starts the re-activation with the choice', async () => {
    const result = await activate('--code', await grantCode(), '--resend');
    expect(result.exitCode).toBe(0);
    expect(result.out).toContain('Zoho CRM connected (data centre us');
    expect(result.out).toContain('Suspended calls are being resumed (sending data to the CRM)');
    expect(result.out).not.toContain('Warning');
    expect(reactivations).toEqual([true]);
    expect(integrationHealth(store).status).toBe('connected');
    expect(store.connection()).toMatchObject({ via: 'grant-code', scopes: expect.arrayContaining(['ZohoCRM.modules.ALL']) });
    expect(result.out).not.toContain(store.connection()!.refreshToken);

    await activate('--code', await grantCode(), '--no-resend');
    expect(reactivations).toEqual([true, false]);
  });

  it('A1: reads the client secret from standard input with --client-secret -, so it stays out of argv and history', async () => {
    const result = await callmatrix('activate', '--dc', 'us', '--client-id', org.emulator.clientId, '--client-secret', '-', '--code', await grantCode(), '--resend');
    expect(result).toMatchObject({ exitCode: 0, err: '' });
    expect(result.out).toContain('Zoho CRM connected (data centre us');
    expect(store.connection()).toMatchObject({ clientSecret: org.emulator.clientSecret });
  });

  it('A1: a grant code without the needed scopes connects, with a warning naming the missing ones', async () => {
    const { code } = await org.admin.mintGrantCode({ scope: 'ZohoCRM.modules.ALL,ZohoCRM.users.READ' });
    const result = await activate('--code', code, '--resend');
    expect(result.out).toMatch(/Warning: the grant lacks the scopes .*ZohoSearch\.securesearch\.READ/);
  });

  it('A1: makes the admin choose --resend or --no-resend, and names missing options: usage mistakes (exit 2 in main.ts)', async () => {
    await expect(activate('--code', 'x')).rejects.toMatchObject({ name: 'UsageError', message: 'choose --resend (write the calls kept while the integration was broken, within the resend window) or --no-resend (discard them)' });
    await expect(callmatrix('activate', '--resend')).rejects.toMatchObject({ name: 'UsageError', message: 'activate: --dc, --client-id, --client-secret, --code required' });
    expect(store.connection()).toBeUndefined();
  });

  it('A1: a code exchanged at another data centre’s accounts server fails clearly and stores nothing', async () => {
    const result = await callmatrix(
      'activate', '--dc', 'eu', '--accounts-url', org.emulator.accountsUrlFor('eu'),
      '--client-id', org.emulator.clientId, '--client-secret', org.emulator.clientSecret, '--code', await grantCode(), '--resend',
    );
    expect(result.exitCode).toBe(1);
    expect(result.err).toContain(`Zoho Accounts at ${org.emulator.accountsUrlFor('eu')} refused the authorisation code`);
    expect(result.err).toContain('invalid_client');
    expect(result.err).toContain('the data centre (eu) is the one your Zoho account lives in');
    expect(store.connection()).toBeUndefined();
    expect(reactivations).toEqual([]);
  });

  it('A1: an accounts server that does not answer is named as unreachable, not as refusing the code', async () => {
    const result = await activate('--code', await grantCode(), '--resend', '--accounts-url', 'http://127.0.0.1:9');
    expect(result.exitCode).toBe(1);
    expect(result.err).toContain('Zoho Accounts at http://127.0.0.1:9 did not answer the code exchange');
    expect(result.err).toContain('ECONNREFUSED');
    expect(result.err).not.toContain('refused the authorisation code');
    expect(store.connection()).toBeUndefined();
  });

  it('A1: a grant code works once', async () => {
    const code = await grantCode();
    expect((await activate('--code', code, '--resend')).exitCode).toBe(0);
    const again = await activate('--code', code, '--resend');
    expect(again.exitCode).toBe(1);
    expect(again.err).toMatch(/invalid_code.*fresh and unused/);
  });

  it('A2: lists the users, and the senior manager and mappings chosen apply through effectiveSettings', async () => {
    await activate('--code', await grantCode(), '--no-resend');
    expect((await callmatrix('activate', 'senior', org.users.senior.id)).out).toBe(`Senior manager: Olena Koval (${org.users.senior.id}).\n`);
    expect((await callmatrix('activate', 'map', '101', org.users.ivan.id)).out).toContain('Employee 101 → Ivan Petrenko');
    const users = await callmatrix('users');
    expect(users.out).toContain(`${org.users.senior.id}\tOlena Koval\tolena.koval@callmatrix-demo.example\tactive\tsenior manager`);
    expect(users.out).toContain(`${org.users.ivan.id}\tIvan Petrenko\tivan.petrenko@callmatrix-demo.example\tactive\temployee 101`);
    expect(users.out).toContain(`${org.users.inactive.id}\tTaras Melnyk\ttaras.melnyk@callmatrix-demo.example\tinactive\t`);

    const settings = effectiveSettings(fileSettings(), store);
    expect(settings.seniorManager?.zohoUserId).toBe(org.users.senior.id);
    // 102 has no Zoho user: it is left out, so its calls count as unmapped (M3).
    expect(settings.employees.map((e) => [e.code, e.zohoUserId])).toEqual([['101', org.users.ivan.id]]);

    await callmatrix('activate', 'map', '101', '--remove');
    expect(effectiveSettings(fileSettings(), store).employees).toEqual([]);
  });

  it('A2: refuses unknown employees, unknown and inactive users, naming which', async () => {
    await activate('--code', await grantCode(), '--no-resend');
    expect((await callmatrix('activate', 'map', '999', org.users.ivan.id)).err).toContain('employee 999: the settings file has no employee with this code (codes: 101, 102)');
    expect((await callmatrix('activate', 'map', '101', org.users.inactive.id)).err).toContain('employee 101: Taras Melnyk');
    expect((await callmatrix('activate', 'senior', 'nobody')).err).toContain('senior manager: nobody is not a user of this Zoho CRM org');
    await expect(callmatrix('activate', 'map', '101')).rejects.toMatchObject({ name: 'UsageError', message: 'give the Zoho user id, or --remove' });
    expect(store.choices()).toEqual({ employees: {} });
  });

  it('A1: without an activation, `users` says Zoho CRM is not connected', async () => {
    const result = await callmatrix('users');
    expect(result.exitCode).toBe(1);
    expect(result.err).toContain('Zoho CRM is not connected');
  });

  it('every command has --help', async () => {
    for (const command of [['activate'], ['activate', 'resume'], ['activate', 'senior'], ['activate', 'map'], ['users'], ['doctor']]) {
      await expect(callmatrix(...command, '--help')).rejects.toMatchObject({ code: 'commander.helpDisplayed' });
      expect(out).toContain('Usage: callmatrix');
    }
  });
});
