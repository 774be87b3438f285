/**
 * The CRM account's time zone (Zoho's org `time_zone`), in which the activation pages show times (and in which
 * `callmatrix backfill` reads the call log when no zone is set, L1). It is read from Zoho once per connection and
 * kept with the connection in the store, so every shim replica knows it and the pages still show it while Zoho is
 * unreachable or refuses the authorisation, when "broken since …" matters most. Workers keep it current: each time
 * they read the org for the calls' CRM context they record a changed zone (activities/crm.ts).
 */
import type { Logger } from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { isTimeZone } from '../matrix/settings-schema';
import { loggedError } from '../observability/logged-error';
import type { ZohoClient } from '../zoho';
import type { ActivationStore } from './credential-store';

/** How long a page waits for Zoho's answer; a later answer is still kept, for the next page. */
export const TIME_ZONE_WAIT_MS = 3_000;

/**
 * The zone kept with the connection, else read from Zoho's org and kept: what a CLI command that needs the zone
 * (`callmatrix backfill`, L1) reads, sparing Zoho a token refresh per command. Throws, saying why, when it cannot.
 */
export async function readAccountTimeZone(store: ActivationStore, zoho: Pick<ZohoClient, 'getOrg'>): Promise<string> {
  const connection = store.connection();
  if (connection?.timeZone) return connection.timeZone;
  if (!connection) throw new Error('Zoho CRM is not connected: no credentials are stored');
  const broken = store.broken();
  if (broken) throw new Error(`the Zoho CRM integration is broken since ${broken.since} (${broken.reason}): re-activate it`);
  const org = await zoho.getOrg();
  if (!org.time_zone || !isTimeZone(org.time_zone)) throw new Error(`Zoho CRM names the org's time zone ${JSON.stringify(org.time_zone)}, which is not an IANA zone`);
  await store.recordTimeZone(org.time_zone, connection);
  return org.time_zone;
}

/** The zone, or undefined while it is not known: nothing connected yet, the authorisation broken, or Zoho silent. */
export async function accountTimeZone(
  store: ActivationStore,
  zoho: Pick<ZohoClient, 'getOrg'>,
  logger: Pick<Logger | FastifyBaseLogger, 'warn'>,
  waitMs = TIME_ZONE_WAIT_MS,
): Promise<string | undefined> {
  const connection = store.connection();
  if (connection?.timeZone) return connection.timeZone;
  // A broken authorisation would only be refused again (R1).
  if (!connection || store.broken()) return undefined;
  const reading = readAccountTimeZone(store, zoho).catch((error: unknown) => {
    logger.warn(loggedError(error), "activation: the CRM account's time zone could not be read; the pages show times in UTC");
    return undefined;
  });
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), waitMs);
  });
  try {
    return await Promise.race([reading, waited]);
  } finally {
    clearTimeout(timer);
  }
}
