/**
 * callmatrix's composition root: the one place the product is wired. Read top-down:
 *
 * - `org-context.ts`: one Zoho org's parts (settings with the activation's choices, activation store, Zoho client
 *   with its limiter and caches), passed down rather than kept at module level.
 * - `app-context.ts`: what a process runs with (environment, Temporal address, secrets, logger, the org), opened
 *   from the environment and the settings file by `openAppContext`; each edit of the file is checked against the
 *   CRM (`check-settings.ts`) before calls use it.
 * - `temporal-connection.ts`: the one way every process connects to Temporal (TLS, mTLS, API key, a clear error).
 * - `worker.ts`: the call worker and its activities (`callmatrix worker`).
 * - `http-server.ts`: the webhook shim, routing, activation and codec routes (`callmatrix webhook`).
 *
 * `callmatrix worker`/`webhook`, `npm start`, the scenario, routing and activation tests and the bench all start through here.
 */
export { connectTemporalClient, openAppContext, orgOfSettingsFile, withTemporalConnection, type AppContext } from './app-context';
export { buildHttpServer, startHttpServer, type HttpServerOptions, type RunningHttpServer } from './http-server';
export { createOrgContext, type OrgContext } from './org-context';
export { dataConverterFor, openSharedActivationStore, type RuntimeSecrets } from './shared-resources';
export { serveWorkerMetrics, startWorker, type RunningWorker } from './worker';
