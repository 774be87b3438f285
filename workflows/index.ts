/** Every workflow the worker registers. Workflow code imports only `@temporalio/workflow` and pure modules. */
export { callWorkflow } from './call-workflow';
export { distributionWorkflow } from './distribution-workflow';
export { reactivationWorkflow } from './reactivation-workflow';
export { callerQueueShardWorkflow } from './caller-queue-shard-workflow';
export { callerTurnsWorkflow } from './caller-turns-workflow';
export { reconciliationWorkflow } from './reconciliation-workflow';
