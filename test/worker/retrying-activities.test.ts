/**
 * The retrying-activities gauges' source (worker/retrying-activities.ts), driven through its interceptor as the
 * worker drives it: an activity counts from its second attempt until one succeeds or fails for good, with the age
 * of its first attempt; one no attempt refreshed for 22 minutes is forgotten. The live case (a call's write
 * refused with 5xx on the real worker) is in test/observability/metrics-and-logs.test.ts.
 */
import type { ActivityExecuteInput, Next, ActivityInboundCallsInterceptor } from '@temporalio/worker';
import type { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { RetryingActivities } from '../../worker/retrying-activities';
import { ZohoTransientError, ZohoValidationError } from '../../zoho/errors';

const MINUTE = 60_000;
let now = 0;
const retrying = () => new RetryingActivities(() => now);

/** Runs one attempt of activity `id` of type `type`, first scheduled at 0, through the interceptor. */
async function attempt(tracker: RetryingActivities, id: string, n: number, outcome: unknown, type = 'applyPlan'): Promise<void> {
  const info = { attempt: n, activityId: id, activityType: type, scheduledTimestampMs: 0, workflowExecution: { workflowId: 'call:ringostat:1', runId: 'r' } };
  const interceptor = tracker.interceptor({ info } as unknown as Context).inbound as ActivityInboundCallsInterceptor;
  const next: Next<ActivityInboundCallsInterceptor, 'execute'> = async () => {
    if (outcome instanceof Error) throw outcome;
    return outcome;
  };
  await interceptor.execute!({ args: [], headers: {} } as ActivityExecuteInput, next).catch(() => undefined);
}

beforeEach(() => {
  now = 0;
});

it('counts an activity from its second attempt, with the age of its first, until an attempt succeeds', async () => {
  const tracker = retrying();
  now = 2_000;
  await attempt(tracker, '1', 1, new ZohoTransientError('create Leads record: Zoho CRM answered HTTP 500'));
  expect(tracker.snapshot().size).toBe(0);
  now = 6_000;
  await attempt(tracker, '1', 2, new ZohoTransientError('HTTP 500'));
  await attempt(tracker, '2', 2, new Error('socket hang up'), 'queueForCallerTurnWithLookup');
  now = 10 * MINUTE;
  expect(tracker.snapshot()).toEqual(
    new Map([
      ['applyPlan', { count: 1, oldestAgeSeconds: 600 }],
      ['queueForCallerTurnWithLookup', { count: 1, oldestAgeSeconds: 600 }],
    ]),
  );
  await attempt(tracker, '1', 3, { written: [] });
  expect([...tracker.snapshot().keys()]).toEqual(['queueForCallerTurnWithLookup']);
});

it('forgets an activity that fails for good: a Zoho refusal, or a failure marked non-retryable', async () => {
  const tracker = retrying();
  await attempt(tracker, '1', 2, new ZohoValidationError('INVALID_DATA', 'create Leads record', 'Phone', 'invalid data'));
  await attempt(tracker, '2', 2, ApplicationFailure.nonRetryable('no'));
  expect(tracker.snapshot().size).toBe(0);
});

it('forgets an activity no attempt has refreshed for 22 minutes: its call went on elsewhere or was terminated', async () => {
  const tracker = retrying();
  await attempt(tracker, '1', 2, new ZohoTransientError('HTTP 503'));
  now = 22 * MINUTE;
  expect(tracker.snapshot().get('applyPlan')?.count).toBe(1);
  now = 22 * MINUTE + 1;
  expect(tracker.snapshot().size).toBe(0);
});
