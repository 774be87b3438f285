/**
 * What the Temporal UI shows of a call at the top of its workflow page ("Current Details": the SDK's workflow
 * metadata query, which the UI runs), read through the real server as the UI reads it: the status and what the call
 * waits for, the rule, the matrix's reasons and the records written. Like the `callStatus` query, they name the
 * caller's number in the reasons, so they reach the UI only through the codec, encrypted.
 */
import { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { startCallHarness, type CallHarness } from '../support/call-harness';
import { callDetailsMarkdown } from '../../temporal/call-details';
import { incomingCall } from '../scenarios/scenario-kit';

let h: CallHarness;
beforeAll(async () => {
  h = await startCallHarness();
});
afterAll(async () => h?.stop());

async function currentDetails(callId: string, client: Client = h.temporal): Promise<string> {
  const metadata = await client.workflow.getHandle(`call:ringostat:${callId}`).query<temporal.api.sdk.v1.IWorkflowMetadata>('__temporal_workflow_metadata');
  return metadata.currentDetails ?? '';
}

it('M1, C1: a written call shows its status, rule, reasons and every record it wrote, by module and id', async () => {
  const callId = h.uniqueCallId();
  await h.send('end', incomingCall(callId));
  await h.result(callId);
  const [lead] = await h.records('Leads');
  const [task] = await h.records('Tasks');
  const [call] = await h.records('Calls');

  const details = await currentDetails(callId);
  expect(details).toContain('**Status:** written');
  expect(details).toContain('**M1**, answered-new-client');
  expect(details).toMatch(/^- M1: /m);
  for (const [module, record] of [['Leads', lead], ['Tasks', task], ['Calls', call]] as const) expect(details).toContain(`- ${module} \`${String(record.id)}\``);
  // A client without the deployment's key (a UI without the codec server) gets them encrypted, not in clear.
  await expect(currentDetails(callId, new Client({ connection: h.temporal.connection, namespace: 'default' }))).rejects.toThrow('Unknown encoding: binary/encrypted');
});

it('R1: a suspended call says it waits for the re-activation', async () => {
  await h.admin.revokeAllTokens();
  const callId = h.uniqueCallId();
  await h.send('end', incomingCall(callId, { caller: '+380671112299' }));
  const deadline = Date.now() + 30_000;
  while ((await h.status(callId).catch(() => undefined))?.status !== 'suspended') {
    if (Date.now() > deadline) throw new Error(`call ${callId} did not suspend`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(await currentDetails(callId)).toMatch(/^\*\*Status:\*\* suspended: .*re-activates/);
});

it('M17: a call waiting behind an earlier call of its caller names that call; a record found already there says so', () => {
  const details = callDetailsMarkdown({
    status: 'in-progress',
    eventsReceived: 2,
    suspensions: 1,
    written: [{ operation: 'lead', module: 'Leads', id: '42', created: false }],
    waitingForCallerTurn: { heldBy: 'call:ringostat:earlier' },
  });
  expect(details).toContain('**Waiting** for `call:ringostat:earlier` of the same caller to finish its writes (M17).');
  expect(details).toContain('**Suspensions:** 1');
  expect(details).toContain('- Leads `42` (lead, already there)');
});
