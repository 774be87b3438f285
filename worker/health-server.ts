/**
 * The worker's health endpoints (`/healthz`, `/readyz`, `/healthz/integration`, as on the shim) on a small port of
 * its own, CALLMATRIX_WORKER_HEALTH_PORT, so an orchestrator can probe a process that serves no HTTP otherwise.
 */
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import Fastify from 'fastify';
import type { IntegrationHealth } from '../activation/credential-store';
import { listenNaming } from '../http/listen';
import type { Environment } from '../config/environment';
import { registerHealthRoutes } from '../http/health';

type HealthSettings = Pick<Environment, 'CALLMATRIX_HOST' | 'CALLMATRIX_WORKER_HEALTH_PORT' | 'CALLMATRIX_TEMPORAL_DEADLINE_MS'>;

export interface WorkerHealthDependencies {
  worker: Worker;
  temporal: Client;
  integration: () => IntegrationHealth;
}

/** Listens when CALLMATRIX_WORKER_HEALTH_PORT is set; undefined otherwise. */
export async function startWorkerHealthServer(
  env: HealthSettings,
  deps: WorkerHealthDependencies,
): Promise<{ url: string; close(): Promise<void> } | undefined> {
  if (env.CALLMATRIX_WORKER_HEALTH_PORT === undefined) return undefined;
  const app = Fastify();
  registerHealthRoutes(app, {
    temporal: deps.temporal,
    deadlineMs: env.CALLMATRIX_TEMPORAL_DEADLINE_MS,
    integration: deps.integration,
    notReady: () => (deps.worker.getState() === 'RUNNING' ? undefined : `worker: ${deps.worker.getState().toLowerCase()}`),
  });
  const url = await listenNaming(app, { host: env.CALLMATRIX_HOST, port: env.CALLMATRIX_WORKER_HEALTH_PORT }, 'CALLMATRIX_WORKER_HEALTH_PORT');
  return { url, close: () => app.close() };
}
