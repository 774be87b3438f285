/**
 * The activities this worker is retrying, and since when: what the retrying-activities gauges show. A call whose
 * Zoho step keeps failing with an error worth retrying (5xx, timeouts, an unreachable Zoho, a freshly refreshed
 * token refused) is retried for as long as that lasts, up to every 10 minutes, and shows only `writing` or
 * `in-progress` meanwhile: the age of its first attempt is what tells an operator it is stuck.
 *
 * An activity's attempts may run on several workers, so each worker reports what it saw (the alert takes the
 * maximum), and an activity no attempt here has refreshed for `FORGET_AFTER_MS` is dropped: its call went on, on
 * another worker, or was terminated.
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { RetryingActivity } from '../observability/metrics';
import { NON_RETRYABLE_ZOHO_ERRORS } from '../temporal/failures';

/** Two of the calls' longest retry intervals (10 minutes) and their start-to-close timeout (2 minutes). */
const FORGET_AFTER_MS = 22 * 60_000;

/** Whether the activity's retry policy retries after this error: not a non-retryable one, not a cancellation. */
function willBeRetried(error: unknown): boolean {
  if (error instanceof CancelledFailure) return false;
  if (error instanceof ApplicationFailure && error.nonRetryable) return false;
  const type = error instanceof ApplicationFailure ? error.type : error instanceof Error ? error.name : undefined;
  return !(type && NON_RETRYABLE_ZOHO_ERRORS.includes(type));
}

export class RetryingActivities {
  private readonly retrying = new Map<string, { activityType: string; firstScheduledMs: number; seenMs: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Notes each attempt after the first, and forgets the activity when an attempt succeeds or will not be retried. */
  readonly interceptor: ActivityInterceptorsFactory = (ctx) => ({
    inbound: {
      execute: async (input, next) => {
        const { attempt, activityId, activityType, scheduledTimestampMs, workflowExecution } = ctx.info;
        const key = `${workflowExecution?.workflowId}\n${workflowExecution?.runId}\n${activityId}`;
        if (attempt > 1) this.retrying.set(key, { activityType, firstScheduledMs: scheduledTimestampMs, seenMs: this.now() });
        try {
          const result: unknown = await next(input);
          this.retrying.delete(key);
          return result;
        } catch (error) {
          if (!willBeRetried(error)) this.retrying.delete(key);
          throw error;
        }
      },
    },
  });

  /** By activity type, the activities being retried now. */
  snapshot(): Map<string, RetryingActivity> {
    const now = this.now();
    const byType = new Map<string, RetryingActivity>();
    for (const [key, entry] of this.retrying) {
      if (now - entry.seenMs > FORGET_AFTER_MS) {
        this.retrying.delete(key);
        continue;
      }
      const ageSeconds = Math.max(0, (now - entry.firstScheduledMs) / 1000);
      const type = byType.get(entry.activityType) ?? { count: 0, oldestAgeSeconds: 0 };
      byType.set(entry.activityType, { count: type.count + 1, oldestAgeSeconds: Math.max(type.oldestAgeSeconds, ageSeconds) });
    }
    return byType;
  }
}
