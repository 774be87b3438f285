/**
 * L3: a call's failure reaches the log with what an operator needs to fix it. The SDK's own "Workflow failed" line
 * carried the failure as `{}` (pino prints only `err` as an error); the cause chain is now spelled out, and the
 * call workflow's error line names the innermost cause: Zoho's message and the field.
 */
import vm from 'node:vm';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { failureChain, rootCause } from '../../temporal/failure-chain';
import { loggableMeta } from '../../worker/runtime-logger';
import { ZohoValidationError } from '../../zoho/errors';

const zohoRefusal = new ZohoValidationError('INVALID_DATA', 'create Tasks record', 'Subject', 'invalid data');
const workflowFailure = new ActivityFailure(
  'Activity task failed',
  'applyPlan',
  '1',
  RetryState.NON_RETRYABLE_FAILURE,
  undefined,
  ApplicationFailure.create({ type: ZohoValidationError.errorType, message: zohoRefusal.message, nonRetryable: true }),
);

it('L3: the cause chain of a workflow failure, outermost first, ends with Zoho\'s message and the field', () => {
  expect(failureChain(workflowFailure)).toEqual([
    { type: 'ActivityFailure', message: 'Activity task failed' },
    { type: 'ZohoValidationError', message: 'Zoho rejected create Tasks record: INVALID_DATA on field Subject (invalid data)' },
  ]);
  expect(rootCause(workflowFailure)).toEqual({ type: 'ZohoValidationError', message: expect.stringContaining('on field Subject') });
  expect(rootCause('not an error')).toBeUndefined();
});

it('L3: the SDK\'s log metadata keeps its fields and shows errors as their cause chain, not {}', () => {
  const meta = loggableMeta({ workflowId: 'call:ringostat:1', error: workflowFailure });
  expect(meta.workflowId).toBe('call:ringostat:1');
  expect(JSON.parse(JSON.stringify(meta)).error).toEqual(failureChain(workflowFailure));
  expect(loggableMeta(undefined)).toEqual({});
  // As it arrives from a workflow's own V8 context, where it is not an instance of this realm's Error.
  const fromWorkflowContext = vm.runInNewContext('new Error("Workflow failed for a reason")') as unknown;
  expect(loggableMeta({ error: fromWorkflowContext }).error).toEqual([{ type: 'Error', message: 'Workflow failed for a reason' }]);
});
