/**
 * D3, D4 on a settings file edited while the services run: the edit is checked against the CRM as a worker start
 * checks the file. A mapping to an Integer field, or a pipeline rule naming a stage the CRM's pipeline does not
 * have, is refused and logged naming the setting, and calls keep the last good settings, so they are still written
 * (issue 12, item 5; [Operations]: a settings mistake is reported before calls fail on it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import YAML from 'yaml';
import { startCallHarness, type CallHarness, type DemoUsers } from '../support/call-harness';
import { eventually, incomingCall } from '../scenarios/scenario-kit';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-reload-'));
const file = path.join(dir, 'callmatrix.yaml');
const logLines: Array<{ msg: string; problem?: string }> = [];
let h: CallHarness;

function writeSettings(users: DemoUsers, leadMappings: Record<string, string>, mtime: Date, more: Record<string, unknown> = {}): void {
  const employee = (user: { id: string; full_name: string }, code: string) => ({
    code,
    name: user.full_name,
    zohoUserId: user.id,
    extensions: [code],
    sipLogins: [user.full_name.split(' ')[0].toLowerCase()],
  });
  fs.writeFileSync(
    file,
    YAML.stringify({
      seniorManager: { zohoUserId: users.senior.id },
      employees: [employee(users.ivan, '101'), employee(users.maria, '102')],
      mappings: { Leads: leadMappings },
      ...more,
    }),
  );
  // An explicit modification time: a file system with coarse timestamps must still see the edit.
  fs.utimesSync(file, mtime, mtime);
}

beforeAll(async () => {
  const logger = pino({ level: 'info' }, { write: (line: string) => logLines.push(JSON.parse(line) as { msg: string }) });
  h = await startCallHarness({
    logger,
    settingsFile: (users) => {
      writeSettings(users, { pool_name: 'rs_pool_name' }, new Date(Date.now() - 60_000));
      return file;
    },
  });
});
afterAll(async () => {
  await h?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A call from a new client of its own, carrying its call id as pool_name so its lead can be told apart. */
const callFromNewClient = (callId: string) => incomingCall(callId, { pool_name: callId, caller: `+38067${callId.replace(/\D/g, '').slice(-7)}` });
const leadOf = async (callId: string) => (await h.records('Leads')).find((lead) => lead.rs_pool_name === callId);

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Waits until the running services have noticed the edit: any read of the settings does (the shim's for every
 * webhook), at most once a second.
 */
async function noticed(edit: (line: { msg: string; problem?: string }) => boolean): Promise<{ msg: string; problem?: string }> {
  return eventually(async () => {
    const line = logLines.find(edit);
    if (!line) await h.send('end', { uniqueid: '' });
    return line;
  }, 20_000);
}

it('D3: an edit that maps a parameter to an Integer field is refused and logged; calls keep the previous settings', async () => {
  const first = h.uniqueCallId();
  await h.send('end', callFromNewClient(first));
  expect((await h.result(first)).status).toBe('written');
  expect(await leadOf(first)).toBeDefined();

  // The edit: pool_name into rs_call_count, an Integer field of the CRM's Leads.
  writeSettings(h.users, { pool_name: 'rs_call_count' }, new Date());
  const refused = await noticed((l) => l.msg.includes('settings file changed but is invalid') && /rs_call_count/.test(l.problem ?? ''));
  expect(refused?.problem).toMatch(new RegExp(`${escaped(file)}: .*rs_call_count`));

  const second = h.uniqueCallId();
  await h.send('end', callFromNewClient(second));
  expect((await h.result(second)).status).toBe('written');
  const lead = await leadOf(second);
  expect(lead).toBeDefined();
  expect(lead?.rs_call_count ?? null).toBeNull();
});

it('D4: an edit whose pipeline rule names a stage the pipeline does not have is refused naming the rule; calls are still written', async () => {
  const deals = { matrix: { scenarios: { 'answered-new-client': { createDeal: true } } } };
  const rule = (stage: string) => ({ pipelines: { rules: [{ parameter: 'pool_name', equals: 'ads', pipeline: 'New', stage }] }, ...deals });
  const callFromAds = (callId: string) => incomingCall(callId, { pool_name: 'ads', caller: `+38067${callId.replace(/\D/g, '').slice(-7)}` });
  /** The deals written since `before` (their ids), i.e. by the call in between. */
  const dealIds = async () => (await h.records('Deals')).map((deal) => String(deal.id));
  const dealsSince = async (before: string[]) => (await h.records('Deals')).filter((deal) => !before.includes(String(deal.id)));

  // 'Proposal' is no stage of the CRM's pipeline New (New Request, In Progress): Zoho would refuse every such deal.
  writeSettings(h.users, { pool_name: 'rs_pool_name' }, new Date(Date.now() + 60_000), rule('Proposal'));
  const refused = await noticed((l) => l.msg.includes('settings file changed but is invalid') && /pipelines\.rules\[0\]/.test(l.problem ?? ''));
  expect(refused?.problem).toMatch(new RegExp(`${escaped(file)}: pipelines\\.rules\\[0\\]: 'Proposal' is not an open stage of pipeline 'New'`));

  const first = h.uniqueCallId();
  let before = await dealIds();
  await h.send('end', callFromAds(first));
  expect((await h.result(first)).status).toBe('written');
  expect(await dealsSince(before)).toEqual([]);

  // The rule corrected: taken up, and the next call's deal goes to that stage.
  writeSettings(h.users, { pool_name: 'rs_pool_name' }, new Date(Date.now() + 120_000), rule('In Progress'));
  expect(await noticed((l) => l.msg === 'settings reloaded' && logLines.indexOf(l) > logLines.indexOf(refused!))).toBeDefined();
  const second = h.uniqueCallId();
  before = await dealIds();
  await h.send('end', callFromAds(second));
  expect((await h.result(second)).status).toBe('written');
  expect(await dealsSince(before)).toEqual([expect.objectContaining({ Pipeline: 'New', Stage: 'In Progress' })]);
});
