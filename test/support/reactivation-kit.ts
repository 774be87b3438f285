/**
 * Re-activation as an admin does it (R2, R3), the race of a newer re-activation's resume with a resumed call
 * telling its re-activation that it suspended again, and a resume copied out of a history and sent again by
 * whoever reaches Temporal — shared by their tests and replay situations.
 */
import crypto from 'node:crypto';
import type { WorkflowService } from '@temporalio/client';
import { callWorkflowId, resumeSignal, type ResumeOfSuspension } from '../../temporal/contracts';
import { startReactivation } from '../../temporal/reactivation';
import { exchangeAuthorizationCode } from '../../zoho';
import { incomingCall, waitForStatus } from '../scenarios/scenario-kit';
import type { CallHarness } from './call-harness';
import type { SignalWhileTaskInFlight } from './signal-while-task-in-flight';

/** Re-activates with a fresh self-client grant code and starts the re-activation; resolves with its report. */
export async function reactivateWith(h: CallHarness, grantCode: string, resend = true): Promise<unknown> {
  const current = (await h.activation.current())!;
  const { refreshToken } = await exchangeAuthorizationCode(current, grantCode, 10_000);
  await h.activation.connect({ ...current, refreshToken, connectedAt: new Date().toISOString(), via: 'grant-code' });
  const { workflowId } = await startReactivation(h.temporal, h.activation, { taskQueue: h.taskQueue, resend });
  return h.temporal.workflow.getHandle(workflowId).result();
}

/**
 * Copies the first resume out of `from`'s history, its payload as encrypted there, and signals it to `to` as it is,
 * through the raw service (no key needed).
 */
export async function sendCopiedResume(service: WorkflowService, from: string, to: string): Promise<void> {
  const { history } = await service.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: from } });
  const copied = history?.events?.find((event) => event.workflowExecutionSignaledEventAttributes?.signalName === resumeSignal.name)?.workflowExecutionSignaledEventAttributes?.input;
  if (!copied?.payloads?.length) throw new Error(`${from} has no resume in its history to copy`);
  await service.signalWorkflowExecution({ namespace: 'default', workflowExecution: { workflowId: to }, signalName: resumeSignal.name, input: copied, identity: 'copied-resume' });
}

/**
 * An answered call from a new number suspends; the re-activation resumes it, the re-activating user may not create
 * leads, so it suspends again and tells that re-activation — and while that signal is in flight a newer
 * re-activation's resume reaches it (sent by `hook`). Resolves once the first re-activation has ended, with how
 * it ended (it fails: the integration broke again) and whether the newer resume was sent.
 */
export async function resumeWhileReporting(h: CallHarness, hook: SignalWhileTaskInFlight) {
  const callId = h.uniqueCallId();
  const workflowId = callWorkflowId('ringostat', callId);
  const phone = `+38067${String(Date.now()).slice(-7)}`;
  const grant = await h.admin.revokeAllTokens();
  await h.send('end', incomingCall(callId, { caller: phone }));
  await waitForStatus(h, callId, 'suspended');

  // The newer re-activation's resume, as its `resumeCall` sends it: for the call's second suspension.
  const newerResume: ResumeOfSuspension = {
    resend: true,
    windowStart: new Date(Date.now() - 86_400_000).toISOString(),
    reactivation: { workflowId: 'callmatrix-reactivation-newer', runId: crypto.randomUUID() },
    timeZone: 'UTC',
    suspension: { runId: (await h.temporal.workflow.getHandle(workflowId).describe()).runId, suspension: 2 },
  };
  // The first suspension's line was written before its task completed, so before the call showed as suspended.
  const resume = hook.arm((line) => line.msg === 'call suspended' && line.workflowId === workflowId, {
    address: process.env.TEMPORAL_ADDRESS!,
    encryptionKey: h.deployment.encryptionKey,
    workflowId,
    signal: 'resume',
    arg: newerResume,
  });
  await h.admin.addFault({ kind: 'error', status: 403, code: 'NO_PERMISSION', count: 1, match: { method: 'POST', module: 'Leads' } });
  const firstReactivation = await reactivateWith(h, grant.code).then(
    () => 'completed',
    (error: unknown) => error,
  );
  // The newer re-activation's admin connected again: the integration is no longer broken for the calls after this.
  await h.activation.connect(h.activation.connection()!);
  return { callId, workflowId, phone, firstReactivation, resumeSent: resume.sent() };
}
