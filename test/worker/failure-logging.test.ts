/**
 * L3: a call's failure reaches the log with what an operator needs to fix it. The SDK's own "Workflow failed" line
 * carried the failure as `{}` (pino prints only `err` as an error); the cause chain is now spelled out, and the
 * call workflow's error line names the innermost cause: Zoho's message and the field.
 */
import vm from 'node:vm';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { failureChain, rootCause } from '../../temporal/failure-chain';
import pino from 'pino';
import { loggableMeta, sdkLogSink } from '../../worker/runtime-logger';
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

it('[Operations]: core\'s slow-workflow-task warnings (TMPRL1104), 8–10 per call while Zoho is retried, reach the log once a minute; other lines all, without task tokens', () => {
  const lines: Record<string, unknown>[] = [];
  const sink = sdkLogSink(pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) }));
  for (let task = 1; task <= 9; task += 1) {
    sink({ level: 'WARN', message: `[TMPRL1104] 0b4e:${task}:1 Workflow task duration exceeded 5 seconds.`, meta: { workflow_type: 'callWorkflow', task_token: 'secret' } });
  }
  sink({ level: 'WARN', message: 'Activity failed', meta: { activityType: 'applyPlan', taskToken: 'secret' } });
  expect(lines.map((line) => line.msg)).toEqual([expect.stringMatching(/^\[TMPRL1104\] 0b4e:1:1 .*at most one such line a minute/), 'Activity failed']);
  expect(JSON.stringify(lines)).not.toContain('secret');
});
