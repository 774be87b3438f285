/**
 * R1, [Operations]: when Zoho stops accepting the authorisation, the logs get one error-level line, as the README
 * says (the break, with Zoho's reason), however many calls were talking to Zoho at that moment: each of them
 * suspends with a warning of its own, not another error. An operator paged by the log then sees one cause, not one
 * error per call in flight. Real shim, Temporal and Zoho emulator; the tokens are revoked as a password change does.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { createMetrics } from '../../observability/metrics';
import { callWorkflowId } from '../../temporal/contracts';
import { startCallHarness, type CallHarness } from '../support/call-harness';
import { reactivateWith } from '../support/reactivation-kit';
import { incomingCall, waitForStatus } from '../scenarios/scenario-kit';

const lines: Record<string, unknown>[] = [];
const memory = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});
let h: CallHarness;
beforeAll(async () => {
  h = await startCallHarness({ observe: { metrics: createMetrics(), logger: pino({ level: 'info' }, memory) }, composite: false });
});
afterAll(async () => h?.stop());

it('R1: a revoked authorisation met by several calls at once is logged at error level once, naming the reason; the calls suspend and resume', async () => {
  // A first call caches the CRM context, so the next calls go straight to their lookups, together.
  const warmUp = h.uniqueCallId();
  await h.send('end', incomingCall(warmUp, { caller: `+38063${String(Date.now()).slice(-7)}` }));
  expect((await h.result(warmUp)).status).toBe('written');

  const grant = await h.admin.revokeAllTokens();
  const errorsBefore = lines.filter((line) => line.level === 50).length;
  const callIds = Array.from({ length: 4 }, () => h.uniqueCallId());
  await Promise.all(callIds.map((callId, i) => h.send('end', incomingCall(callId, { caller: `+38067${String(Date.now()).slice(-6)}${i}` }))));
  for (const callId of callIds) await waitForStatus(h, callId, 'suspended');

  const errors = lines.filter((line) => line.level === 50).slice(errorsBefore);
  expect(errors).toEqual([expect.objectContaining({ msg: expect.stringMatching(/^Zoho CRM integration broken: an admin must re-activate it/), reason: expect.stringMatching(/refused/) })]);

  expect(await reactivateWith(h, grant.code)).toMatchObject({ resumed: callIds.length });
  for (const callId of callIds) expect((await h.temporal.workflow.getHandle(callWorkflowId('ringostat', callId)).result()).status).toBe('written');
}, 90_000);
