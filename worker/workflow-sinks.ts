/**
 * The worker's side of the workflows' sinks. The call-outcome sink: one info line per outcome (call id, rule,
 * scenario, the records written and how long the call took) and the calls metrics. Outside the workflow sandbox,
 * so real time is fine: a call's duration runs from its workflow's start (the first event) to now. The
 * refused-input sink counts what the workflow interceptor refused (temporal/refuse-unauthenticated-input.ts); it
 * logged it already.
 */
import type { InjectedSinks } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics';
import type { CallOutcomeSinks } from '../temporal/call-outcome';
import type { RefusedInputSinks } from '../temporal/refused-payload';

export function workflowSinks(logger?: Logger, metrics?: Pick<Metrics, 'calls' | 'workflows'>): InjectedSinks<CallOutcomeSinks & RefusedInputSinks> {
  const calls = logger?.child({ component: 'calls' });
  return {
    callOutcome: {
      reached: {
        fn(info, outcome) {
          const ms = Date.now() - info.startTime.getTime();
          metrics?.calls.reached(outcome.status, outcome, ms / 1000);
          calls?.info(
            {
              callId: outcome.callId,
              workflowId: info.workflowId,
              status: outcome.status,
              rule: outcome.rule,
              scenario: outcome.scenario,
              records: outcome.records.map(({ module, id, created }) => ({ module, id, created })),
              ms,
            },
            `call ${outcome.status}`,
          );
        },
      },
    },
    refusedInput: {
      refused: {
        fn(_info, kind) {
          metrics?.workflows.inputRefused(kind);
        },
      },
    },
  };
}
