/**
 * The integration matrix: call facts + client lookup + settings → the CRM operations the call needs, each tagged
 * with the SPEC rule that asks for it. Pure and deterministic: it runs inside Temporal workflow code.
 */
import { planMatrixCall } from './call-plan';
import { withCallbackClosures } from './callback-closure';
import { leaveAlone } from './guards';
import type { MatrixInput } from './input';
import type { CallPlan } from './plan';
import { planUpdateExisting } from './update-existing';

/** The plan for an ended call (after `planCallStart`, when createBeforeCall (O1) is on). */
export function planCall(input: MatrixInput): CallPlan {
  const { call, settings } = input;
  const alone = leaveAlone(call, settings);
  if (alone) return alone;
  if (settings.matrix.mode === 'update-existing') return planUpdateExisting(input);
  return withCallbackClosures(planMatrixCall(input, call.clientPhone!), input);
}

export { planCallStart, BEFORE_CALL_KEYS } from './before-call';
export { resolveEmployee, type EmployeeResolution } from './employees';
export { explainPlan } from './explain';
export { placeDeal, validatePipelineRules, type DealPlacement } from './pipelines';
export { RECOMMENDED_ACTIONS, classifyCall } from './scenarios';
export { validateMappings, validateMappingTargets, type MappingError, type ZohoFieldMeta } from './validate';
export { O2_FRESHNESS_MARGIN_MINUTES } from './update-existing';
export type * from './input';
export type * from './plan';
