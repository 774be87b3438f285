/**
 * The name of a caller's queue (one call of a caller at a time, so no call duplicates what another just created):
 * an HMAC-SHA256 of the caller's normalised (E.164) number. Keyed, because phone numbers are few enough that an
 * unkeyed hash is reversed by trying them all. The key is the deployment's own, kept in the activation file every
 * process shares (ActivationStore.callerQueueKey), so rotating CALLMATRIX_ENCRYPTION_KEY leaves every caller in its
 * queue, and two calls of a caller taken by workers on either side of the rolling restart still wait for each other.
 */
import crypto from 'node:crypto';
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
