/**
 * Optional call fields a telephony adapter could not read and left out (`DroppedField`): the call went on without
 * them. The webhook shim and reconciliation both report them here, so an admin sees a misconfigured telephony the
 * same way whichever path a call came by: counted in callmatrix_webhook_fields_dropped_total{field, source}, and warned of
 * naming the field and the problem, never the value (it may be personal data), at most once an interval per field.
 */
import type { DroppedField } from '../telephony/provider';
import type { DroppedFieldSource, Metrics } from './metrics';
import type { ThrottledLog } from './throttled-log';

export type ReportDroppedFields = (call: { provider: string; callId: string }, dropped: readonly DroppedField[]) => void;

/**
 * `source`: the path the calls come by, the metric's `source` label, so a shim's dropped fields are told from a
 * recovery's. `accepted`: what happened to the call, the warning's start (`webhook accepted` without its unreadable …).
 */
export function droppedFieldsReporter(options: { warn: ThrottledLog; metrics?: Pick<Metrics, 'webhook'>; source: DroppedFieldSource; accepted: string }): ReportDroppedFields {
  return ({ provider, callId }, dropped) => {
    for (const { field, problem } of dropped) {
      options.metrics?.webhook.fieldDropped(field, options.source);
      options.warn(`dropped:${field}`, { provider, callId, field, problem }, `${options.accepted} without its unreadable ${field}`);
    }
  };
}
