/**
 * Health endpoints, the same on the webhook shim and on the worker's health port:
 * - `/healthz`, liveness: the process answers. Always 200, with the Zoho integration's status.
 * - `/readyz`, readiness: Temporal answers within the deadline (and the worker, on the worker, is running). 200 or
 *   503. Temporal's answer is reused for a second, so probes, however many, cost Temporal one call a second. A broken Zoho integration does not make a process unready: calls are still accepted and kept (R1), and
 *   taking the shim out of a load balancer would lose them instead.
 * - `/healthz/integration`, for alerting: 200 while the integration is connected, 503 while it is broken or not
 *   connected, when calls are kept instead of written. Not for orchestrators: restarting fixes nothing there.
 * These ports face whoever reaches the shim (the internet, for the telephony), so they tell the integration's status
 * only: what a load balancer or an outside monitor acts on. Why it broke and since when (Zoho's refusal, which may
 * name the org's modules, scopes or permissions) are the operator's: `/healthz/integration` on the process's metrics listener
 * (observability/metrics-listener.ts, never on the public port) answers with them, as do `callmatrix doctor`, the
 * activation page and the log.
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { IntegrationHealth } from '../activation/credential-store';
import { DeadlineRequests } from '../temporal/deadline';

export interface HealthDependencies {
  temporal: Client;
  /** How long Temporal may take to answer before the process counts as not ready. */
  deadlineMs: number;
  integration: () => IntegrationHealth;
  /** Why the process cannot do its work yet, besides Temporal (e.g. the worker is not running); undefined when it can. */
  notReady?: () => string | undefined;
}

/** How long Temporal's answer to a readiness probe is reused, from when it came. */
export const READINESS_REUSE_MS = 1_000;

export function registerHealthRoutes(app: FastifyInstance, deps: HealthDependencies): void {
  const probes = new DeadlineRequests(deps.temporal, deps.deadlineMs);
  app.addHook('onClose', () => probes.drain());
  /** Temporal's cheapest call: its answer proves the frontend is reachable and serving. One at a time, reused. */
  let probe: { reachable: Promise<boolean>; answeredAt?: number } | undefined;
  const temporalReachable = () => {
    if (!probe || (probe.answeredAt !== undefined && Date.now() - probe.answeredAt >= READINESS_REUSE_MS)) {
      const current: NonNullable<typeof probe> = {
        reachable: probes.run(() => deps.temporal.workflowService.getSystemInfo({})).then(
          () => true,
          () => false,
        ),
      };
      void current.reachable.then(() => (current.answeredAt = Date.now()));
      probe = current;
    }
    return probe.reachable;
  };

  const integration = () => ({ status: deps.integration().status });
  app.get('/healthz', async () => ({ ok: true, integration: integration() }));
  app.get('/readyz', async (_request, reply) => {
    const temporal = (await temporalReachable()) ? 'reachable' : 'unreachable';
    const problems = [temporal === 'unreachable' && `temporal: no answer within ${deps.deadlineMs} ms`, deps.notReady?.()].filter(
      (problem): problem is string => typeof problem === 'string',
    );
    return reply.code(problems.length ? 503 : 200).send({ ok: problems.length === 0, temporal, integration: integration(), ...(problems.length ? { errors: problems } : {}) });
  });
  registerIntegrationHealth(app, integration);
}

/**
 * `/healthz/integration`: 200 while the integration is connected, else 503, with what `integration` tells. The public
 * ports tell its status (above); a process's metrics listener, the operator's, also why and since when.
 */
export function registerIntegrationHealth(app: FastifyInstance, integration: () => IntegrationHealth): void {
  app.get('/healthz/integration', async (_request, reply) => {
    const health = integration();
    return reply.code(health.status === 'connected' ? 200 : 503).send({ ok: health.status === 'connected', integration: health });
  });
}
