/**
 * D3 on a settings file edited while the services run: the edit is checked against the CRM's fields as a worker
 * start checks the file. A mapping to an Integer field is refused and logged, and calls keep the last good
 * settings, so they are still written (issue 12, item 5).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import YAML from 'yaml';
import { startCallHarness, type CallHarness, type DemoUsers } from '../support/call-harness';
import { incomingCall } from '../scenarios/scenario-kit';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-reload-'));
const file = path.join(dir, 'callmatrix.yaml');
const logLines: Array<{ msg: string; problem?: string }> = [];
let h: CallHarness;

function writeSettings(users: DemoUsers, leadMappings: Record<string, string>, mtime: Date): void {
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

it('D3: an edit that maps a parameter to an Integer field is refused and logged; calls keep the previous settings', async () => {
  const first = h.uniqueCallId();
  await h.send('end', callFromNewClient(first));
  expect((await h.result(first)).status).toBe('written');
  expect(await leadOf(first)).toBeDefined();

  // The edit: pool_name into rs_call_count, an Integer field of the CRM's Leads.
  writeSettings(h.users, { pool_name: 'rs_call_count' }, new Date());
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const refused = () => logLines.find((l) => l.msg.includes('settings file changed but is invalid'));
  // Any read of the settings notices the edit (the shim reads them for every webhook).
  for (let i = 0; i < 50 && !refused(); i += 1) {
    await h.send('end', { uniqueid: '' });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(refused()?.problem).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*rs_call_count`));

  const second = h.uniqueCallId();
  await h.send('end', callFromNewClient(second));
  expect((await h.result(second)).status).toBe('written');
  const lead = await leadOf(second);
  expect(lead).toBeDefined();
  expect(lead?.rs_call_count ?? null).toBeNull();
});
