/**
 * The CRM account's time zone (Zoho's org `time_zone`), in which the activation pages show times. It is read from
 * Zoho once per connection and kept with the connection in the store, so every shim replica knows it and the
 * pages still show it while Zoho is unreachable or refuses the authorisation, when "broken since …" matters most.
 */
import type { Logger } from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { isTimeZone } from '../matrix/settings-schema';
import type { ZohoClient } from '../zoho';
import type { ActivationStore } from './credential-store';

/** How long a page waits for Zoho's answer; a later answer is still kept, for the next page. */
export const TIME_ZONE_WAIT_MS = 3_000;

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
  const reading = zoho
    .getOrg()
    .then(async (org) => {
      if (!org.time_zone || !isTimeZone(org.time_zone)) throw new Error(`Zoho CRM names the org's time zone ${JSON.stringify(org.time_zone)}, which is not an IANA zone`);
      await store.recordTimeZone(org.time_zone, connection);
      return org.time_zone;
    })
    .catch((error: unknown) => {
      logger.warn({ err: error }, "activation: the CRM account's time zone could not be read; the pages show times in UTC");
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
