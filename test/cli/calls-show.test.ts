/**
 * `callmatrix calls show <call id>` (#12 item 7) on a real call: webhooks through the real shim, the workflow on
 * the real Temporal server, records in the Zoho emulator; then the CLI, as a child process configured like the
 * deployment (its data folder and key), prints the events, rule, scenario, plan and every record written, with
 * its Zoho CRM web link (the data centre's domain and the org's domain name) and the call's Temporal UI link.
 */
import path from 'node:path';
import pino from 'pino';
import { callWorkflowId } from '../../temporal/contracts';
import { createZohoClient } from '../../zoho';
import { startCallHarness, type CallHarness } from '../support/call-harness';
import { useCallmatrixCli } from '../support/callmatrix-cli';
import { eventually, incomingCall } from '../scenarios/scenario-kit';
import { generateEncryptionKey } from '../../temporal/encryption-codec';

const cli = useCallmatrixCli();
const ROOT = path.resolve(__dirname, '../..');
const UI = 'http://temporal-ui.example:8080';

let h: CallHarness;
beforeAll(async () => {
  h = await startCallHarness();
});
afterAll(async () => h?.stop());

async function callsShow(...args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
    TEMPORAL_UI_URL: UI,
    CALLMATRIX_DATA_DIR: h.deployment.dataDir,
    CALLMATRIX_ENCRYPTION_KEY: h.deployment.encryptionKey,
    CALLMATRIX_WEBHOOK_SECRET: 'a-webhook-secret-of-length',
    LOG_LEVEL: 'warn',
  };
  for (const name of ['ZOHO_CLIENT_ID', 'ZOHO_CLIENT_SECRET', 'ZOHO_REFRESH_TOKEN', 'CALLMATRIX_SETTINGS']) delete env[name];
  const { stdout } = await cli.run(['calls', 'show', ...args], { cwd: ROOT, env });
  return stdout;
}

it('shows a written call: events, rule, scenario, plan, records with CRM and Temporal UI links', async () => {
  const callId = h.uniqueCallId();
  const params = incomingCall(callId, { caller: `+38067${String(Date.now()).slice(-7)}` });
  await h.send('start', { ...params, disposition: '' });
  await h.send('end', params);
  const view = await h.result(callId);
  expect(view.status).toBe('written');
  const [lead] = (await h.records('Leads')).filter((record) => record.Phone === params.caller);
  const [task] = (await h.records('Tasks')).filter((record) => (record.What_Id as { id: string }).id === lead.id);
  // The emulated org is in the US data centre; its domain name comes from the org API.
  const org = await createZohoClient({ credentials: h.activation, logger: pino({ level: 'silent' }) }).getOrg();

  const text = await callsShow(callId);
  expect(text).toContain(`Call ${callWorkflowId('ringostat', callId)}`);
  expect(text).toMatch(/Status\s+written/);
  expect(text).toMatch(new RegExp(`Rule\\s+M1\\s+${view.plan!.scenario}`));
  expect(text).toContain('Events received (2)');
  expect(text).toMatch(/ start .*client \+38067/);
  expect(text).toMatch(/ end .*answered.*talk 42 s/);
  expect(text).toMatch(/1\. create Leads \[M1\]\n\s+Last_Name: /);
  expect(text).toContain(`https://crm.zoho.com/crm/${org.domain_name}/tab/Leads/${lead.id}`);
  expect(text).toContain(`https://crm.zoho.com/crm/${org.domain_name}/tab/Tasks/${task.id}`);
  expect(text).toMatch(new RegExp(`Temporal\\s+${UI}/namespaces/default/workflows/${encodeURIComponent(callWorkflowId('ringostat', callId))}/[\\w-]+/history`));
  // The workflow id `callmatrix calls` prints names the same call.
  expect(await callsShow(callWorkflowId('ringostat', callId))).toBe(text);

  const json = JSON.parse(await callsShow(callId, '--json')) as {
    status: string;
    rule: string;
    events: { moment: string }[];
    plan: { operations: { module: string }[] };
    written: { module: string; id: string; url: string }[];
    temporalUrl: string;
  };
  expect(json).toMatchObject({ status: 'written', rule: 'M1', temporalUrl: expect.stringContaining(UI) });
  expect(json.events.map((e) => e.moment)).toEqual(['start', 'end']);
  expect(json.written).toEqual(
    expect.arrayContaining([expect.objectContaining({ module: 'Leads', id: lead.id, url: `https://crm.zoho.com/crm/${org.domain_name}/tab/Leads/${lead.id}` })]),
  );

  // For a ticket: no form of the client's number and no recording link, in the text or the JSON; ids and links stay.
  for (const shown of [await callsShow(callId, '--redact'), await callsShow(callId, '--json', '--redact')]) {
    expect(shown).toContain(`[client number …${params.caller.slice(-2)}]`);
    expect(shown).toContain('[recording link]');
    // Whatever the format (`+380…`, `067 123 45 67`, `(067) 123-45-67`): its last seven digits appear nowhere but in
    // the call id (both are made of the test's clock).
    expect(shown.split(callId).join('').replace(/[\s()-]/g, '')).not.toContain(params.caller.slice(-7));
    expect(shown).not.toContain(`records.example.com/${callId}`);
    expect(shown).toContain(lead.id);
    expect(shown).toContain(callWorkflowId('ringostat', callId));
  }
  const redactedJson = await callsShow(callId, '--json', '--redact');
  expect(() => JSON.parse(redactedJson) as unknown).not.toThrow();
});

it('[Operations] says the call started when the telephony says it did, as `calls` lists it: a call delivered (or recovered) late', async () => {
  const callId = h.uniqueCallId();
  // The customer called two hours before the event reached callmatrix (a re-sent webhook, or reconciliation, L1).
  const calledAt = new Date(Date.now() - 2 * 3_600_000);
  calledAt.setUTCMilliseconds(0);
  await h.send('end', incomingCall(callId, { caller: `+38067${String(Date.now()).slice(-7)}`, calldate: calledAt.toISOString() }));
  expect((await h.result(callId)).status).toBe('written');
  expect(await callsShow(callId)).toMatch(new RegExp(`Started\\s+${calledAt.toISOString().replace(/\./g, '\\.')}`));
  expect((JSON.parse(await callsShow(callId, '--json')) as { startedAt: string }).startedAt).toBe(calledAt.toISOString());
});

it('M17: shows a call waiting for its caller\'s earlier call, and which call that is', async () => {
  const caller = `+38067${String(Date.now() + 1).slice(-7)}`;
  const [first, second] = [h.uniqueCallId(), h.uniqueCallId()];
  // The first call's lead gets no answer for 6 s (then its retry finds it by its marker): it holds the turn.
  await h.admin.addFault({ kind: 'timeout-after-commit', delayMs: 6_000, match: { method: 'POST', module: 'Leads' } });
  await h.send('end', incomingCall(first, { caller }));
  await eventually(async () => ((await h.status(first)).status === 'writing' ? true : undefined));
  await h.send('end', incomingCall(second, { caller }));
  const waiting = await eventually(async () => (await h.status(second)).waitingForCallerTurn);
  expect(waiting).toEqual({ heldBy: callWorkflowId('ringostat', first) });

  expect(await callsShow(second)).toContain(`Waiting    for ${callWorkflowId('ringostat', first)} to finish its writes`);
  expect(await h.result(second)).not.toHaveProperty('waitingForCallerTurn');
  expect(await callsShow(second)).not.toContain('Waiting');
});

it("[Operations] with another deployment's key, says in one line which key the call needs and where to give it, without a stack trace", async () => {
  const callId = h.uniqueCallId();
  await h.send('end', incomingCall(callId, { caller: `+38067${String(Date.now() + 2).slice(-7)}` }));
  expect((await h.result(callId)).status).toBe('written');
  const otherKey = generateEncryptionKey();
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS, CALLMATRIX_DATA_DIR: h.deployment.dataDir, CALLMATRIX_ENCRYPTION_KEY: otherKey };
  const refused = await cli.run(['calls', 'show', callId], { cwd: ROOT, env }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => error,
  );
  const currentId = h.deployment.encryptionKey.split(':')[0];
  expect(refused).toMatchObject({
    code: 2,
    stderr: `callmatrix: configuration error\npayload encrypted with unknown key "${currentId}": give this process that key, as CALLMATRIX_ENCRYPTION_KEY or (after a rotation) in CALLMATRIX_ENCRYPTION_KEYS_PREVIOUS\n`,
  });
});
