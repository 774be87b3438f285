/**
 * The call as the Temporal UI's workflow page shows it under "Current Details" (Markdown): its status and what it
 * waits for, the rule and scenario, the matrix's reasons and the records written. The same view as the
 * `callStatus` query, readable without running the query. It names records by module and id, never the caller: it
 * reaches the UI through the codec, like every other payload.
 */
import type { CallStatusView } from './call-status';

const STATUS_LINES: Record<CallStatusView['status'], string> = {
  'in-progress': 'in progress: the call has not ended yet, or waits for its turn to be written',
  writing: 'writing the plan to the CRM',
  suspended: 'suspended: the Zoho authorisation is broken; the call resumes once an admin re-activates the integration (R1)',
  written: 'written: everything the matrix planned is in the CRM',
  ignored: 'ignored: the matrix writes nothing for this call',
  discarded: 'discarded: re-activated without "send data to the CRM after re-activation" (R2)',
  expired: 'expired: older than the resend window when the integration was re-activated (R2)',
  failed: 'failed: the CRM refused a write a retry cannot fix; the failure says why (`callmatrix calls retry` once fixed, L3)',
};

export function callDetailsMarkdown(view: CallStatusView): string {
  const lines = [`**Status:** ${STATUS_LINES[view.status]}`];
  if (view.waitingForCallerTurn) {
    const { heldBy } = view.waitingForCallerTurn;
    lines.push(`**Waiting** for ${heldBy ? `\`${heldBy}\`` : 'an earlier call'} of the same caller to finish its writes (M17).`);
  }
  if (view.suspensions > 0) lines.push(`**Suspensions:** ${view.suspensions}`);
  lines.push(`**Events received:** ${view.eventsReceived}`);
  if (view.plan) {
    lines.push('', `**${view.plan.rule}**, ${view.plan.scenario}`, ...view.plan.explanation.map((reason) => `- ${reason}`));
  }
  if (view.written.length > 0) {
    lines.push('', '**Records written**', ...view.written.map((record) => `- ${record.module} \`${record.id}\` (${record.operation}${record.created ? '' : ', already there'})`));
  }
  return lines.join('\n');
}
