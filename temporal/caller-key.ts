/**
 * The name of a caller's queue (one call of a caller at a time, so no call duplicates what another just created):
 * an HMAC-SHA256 of the caller's normalised (E.164) number. Keyed, because phone numbers are few enough that an
 * unkeyed hash is reversed by trying them all. The HMAC key is derived from the encryption key (HKDF), so a
 * deployment has no extra secret to keep; rotating the encryption key renames every queue, which only matters for
 * calls of one caller running at the very moment the workers switch keys.
 */
import crypto from 'node:crypto';
import { parseEncryptionKey } from './encryption-codec';

/** E.164 number → the key its caller's queue is named by (32 hex digits, 128 bits). */
export type CallerKey = (e164: string) => string;

export function callerKeyFrom(encryptionKey: string): CallerKey {
  const derived = Buffer.from(crypto.hkdfSync('sha256', parseEncryptionKey(encryptionKey).key, Buffer.alloc(0), 'callmatrix caller queue', 32));
  return (e164) => crypto.createHmac('sha256', derived).update(e164).digest('hex').slice(0, 32);
}
