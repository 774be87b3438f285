/**
 * The name of a caller's queue (one call of a caller at a time, so no call duplicates what another just created):
 * an HMAC-SHA256 of the caller's normalised (E.164) number. Keyed, because phone numbers are few enough that an
 * unkeyed hash is reversed by trying them all. The key is the deployment's own, kept in the activation file every
 * process shares (ActivationStore.callerQueueKey), so rotating CALLMATRIX_ENCRYPTION_KEY leaves every caller in its
 * queue, and two calls of a caller taken by workers on either side of the rolling restart still wait for each other.
 */
import crypto from 'node:crypto';
import type { CallEvent } from '../common/call-event';
import { normalizePhone } from '../common/phone';
import { parseEncryptionKey } from './encryption-codec';

/** E.164 number → the key its caller's queue is named by (32 hex digits, 128 bits). */
export type CallerKey = (e164: string) => string;

export function callerKeyFrom(secret: Buffer): CallerKey {
  return (e164) => crypto.createHmac('sha256', secret).update(e164).digest('hex').slice(0, 32);
}

/**
 * The deployment's caller key, by the key kept in its activation store. The first worker keeps one derived (HKDF)
 * from the encryption key it runs with, as every key was before one was kept, so that upgrade renames no queue.
 */
export async function deploymentCallerKey(store: { callerQueueKey(first: () => Buffer): Promise<Buffer> }, encryptionKey: string): Promise<CallerKey> {
  const derived = () => Buffer.from(crypto.hkdfSync('sha256', parseEncryptionKey(encryptionKey).key, Buffer.alloc(0), 'callmatrix caller queue', 32));
  return callerKeyFrom(await store.callerQueueKey(derived));
}

/** The CallerKey search attribute of a call event; undefined when it names no readable number. */
export type CallerKeyOfEvent = (event: CallEvent) => Promise<string | undefined>;

/**
 * Keys an event's client number as the calls read it (E.164 in the settings' default country), so the UI's
 * `CallerKey` and `callmatrix calls --phone` name a client's calls alike, and their caller's queue too. The key is
 * loaded at the first event that needs it, and again after a failed load (that event is answered "retry later").
 */
export function callerKeyOfEvent(loadKey: () => Promise<CallerKey>, defaultCountry: () => string): CallerKeyOfEvent {
  let key: Promise<CallerKey> | undefined;
  return async ({ clientNumber }) => {
    const e164 = clientNumber ? normalizePhone(clientNumber, defaultCountry()) : null;
    if (!e164) return undefined;
    key ??= loadKey().catch((error: unknown) => {
      key = undefined;
      throw error;
    });
    return (await key)(e164);
  };
}
