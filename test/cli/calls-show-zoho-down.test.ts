/**
 * [Operations] Zoho down, then back: while Zoho answers 503 to a call's writes, `callmatrix calls show` says the
 * writes are being retried (the step, its attempt, Zoho's answer, the next attempt), not just "writing" with
 * nothing written; once Zoho answers again, the retry writes the call's records, each once, with no action.
 * A call that has not been decided yet says so, not "nothing to write". Real shim, Temporal and Zoho emulator; the
 * CLI in a process of its own, configured like the deployment.
 */
import path from 'node:path';
import { startCallHarness, type CallHarness } from '../support/call-harness';
import { useCallmatrixCli } from '../support/callmatrix-cli';
import { eventually, incomingCall } from '../scenarios/scenario-kit';

const cli = useCallmatrixCli();
const ROOT = path.resolve(__dirname, '../..');

let h: CallHarness;
beforeAll(async () => {
  // One request per record, so the fault can hit the writes (POST /Leads) and leave the lookup's COQL alone.
  h = await startCallHarness({ composite: false });
});
afterAll(async () => {
  await h?.admin.clearFaults();
  await h?.stop();
});

async function callsShow(callId: string): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
    CALLMATRIX_DATA_DIR: h.deployment.dataDir,
    CALLMATRIX_ENCRYPTION_KEY: h.deployment.encryptionKey,
    LOG_LEVEL: 'warn',
  };
  for (const name of ['ZOHO_CLIENT_ID', 'ZOHO_CLIENT_SECRET', 'ZOHO_REFRESH_TOKEN', 'CALLMATRIX_SETTINGS']) delete env[name];
  return (await cli.run(['calls', 'show', callId], { cwd: ROOT, env })).stdout;
}

it('[Operations] a call whose writes Zoho keeps refusing with 503 shows the retry and why; it is written once Zoho is back', async () => {
  const callId = h.uniqueCallId();
  const params = incomingCall(callId, { caller: `+38067${String(Date.now()).slice(-7)}` });

  // Only the start: the call waits for its end, undecided.
  await h.send('start', { ...params, disposition: '' });
  expect(await callsShow(callId)).toMatch(/Plan\n {2}not decided yet/);

  await h.admin.addFault({ kind: 'error', status: 503, match: { method: 'POST', module: 'Leads' } });
  await h.send('end', params);
  const shown = await eventually(async () => {
    const text = await callsShow(callId);
    return /Retrying {3}applyPlan, attempt [2-9]/.test(text) ? text : undefined;
  }, 60_000);
  expect(shown).toMatch(/Status\s+writing/);
  expect(shown).toMatch(/Retrying {3}applyPlan, attempt \d+, next at \d{4}-\d\d-\d\dT[\d:.]+Z: .*503.* \(written once Zoho answers; nothing to do\)/);
  expect(shown).toContain('Records written (0)');

  await h.admin.clearFaults();
  expect((await h.result(callId)).status).toBe('written');
  expect((await h.records('Leads')).filter((lead) => lead.Phone === params.caller)).toHaveLength(1);
  expect(await callsShow(callId)).not.toContain('Retrying');
});
