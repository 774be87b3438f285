/**
 * O1, first phase: when an incoming call starts ringing, the lead (new client) and an open task are created on the
 * senior manager, so the call is in the CRM while it happens. The after-call plan (`planCall` with
 * `createdBeforeCall`) completes these records — owner, status, recording — instead of creating others.
 */
import type { Scenario } from './settings-schema';
import { clientNumber, leadDescription } from './call-text';
import { assessCaller } from './caller';
import { newLeadFields } from './fields';
import { leaveAlone } from './guards';
import type { MatrixStartInput } from './input';
import type { CallPlan } from './plan';
import { BEFORE_CALL_KEYS, PlanBuilder, existing } from './plan-builder';

export { BEFORE_CALL_KEYS };
import { actionsFor } from './scenarios';
import { taskFields, type TaskLinks } from './tasks';

/** The outcomes a new client's call can still have while it rings: a lead is made early if any of them wants one. */
const NEW_CLIENT_INCOMING: readonly Scenario[] = ['answered-new-client', 'missed-new-client', 'voicemail-new-client'];


export function planCallStart(input: MatrixStartInput): CallPlan {
  const { call, settings } = input;
  const alone = leaveAlone(call, settings);
  if (alone) return alone;
  const plan = new PlanBuilder();
  const skip = (reason: string): CallPlan => {
    plan.explain(reason);
    return plan.build('before-call', 'O1');
  };
  if (!settings.matrix.createBeforeCall) return skip('O1 is off: records are created after the call.');
  if (settings.matrix.mode === 'update-existing') return skip('O2 mode never creates records, so O1 does not apply.');
  if (call.direction !== 'incoming') return skip('O1 applies to incoming calls: outgoing calls are recorded after they end.');

  const phone = call.clientPhone!;
  const seniorId = settings.seniorManager?.zohoUserId;
  const client = assessCaller(input.lookup, input.pipelines);
  plan.explain(
    `O1: incoming call from ${clientNumber(call)} is ringing; records are created now on the senior manager` +
      `${seniorId ? '' : ' (none configured: the CRM makes the integration user owner)'} and completed after the call.`,
    ...client.notes,
  );
  const links: TaskLinks = { who: client.contact && existing('Contacts', client.contact.id) };
  if (client.record) {
    links.what = { module: client.record.module, link: existing(client.record.module, client.record.id) };
  } else if (client.kind === 'new' && NEW_CLIENT_INCOMING.some((scenario) => actionsFor(scenario, settings).createLead)) {
    const lead = plan.create({
      key: BEFORE_CALL_KEYS.lead,
      rule: 'O1',
      module: 'Leads',
      fields: newLeadFields(call, phone, seniorId, settings, input.timeZone),
    });
    links.what = { module: 'Leads', link: lead };
  }
  const { fields, links: taskLinks } = taskFields(
    {
      subject: `Incoming call from ${phone}`,
      ownerId: seniorId,
      dueInMinutes: settings.tasks.callbackDueMinutes,
      instructions: [`${phone} is calling now. This task is completed when the call ends; if it is still open, call the client back.`],
      summary: [leadDescription(call, input.timeZone)],
      links,
    },
    { at: call.startedAt, timeZone: input.timeZone },
  );
  plan.create({ key: BEFORE_CALL_KEYS.task, rule: 'O1', module: 'Tasks', fields, links: taskLinks });
  return plan.build('before-call', 'O1');
}
