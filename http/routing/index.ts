/** Smart routing (S1–S3): the endpoint the telephony asks, during the call, which manager owns the caller. */
export { registerRouting, ROUTING_PATH, type RoutingDeps } from './register-routing';
export { DECISION_HEADER } from './answer';
export type { ContinueReason, RoutingDecision } from './responsible-manager';
