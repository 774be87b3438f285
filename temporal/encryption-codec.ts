/**
 * Encrypts every payload callmatrix puts into Temporal (call events, client lookups, plans, settings) with
 * AES-256-GCM, so phone numbers and names never sit readable in workflow history or in the Temporal database.
 * Workflow ids and search attributes are not payloads: they are kept free of personal data by design instead.
 * The key id travels with each payload so keys can be rotated: old histories stay readable while their key is kept.
 *
 * Decoding also authenticates: GCM's tag proves a payload was written by a holder of one of the keys. A payload
 * that is not encrypted, or whose tag does not verify, is replaced by the refusal marker (refused-payload.ts), so
 * a client that reaches Temporal without the key cannot start or signal a call that the worker would act on. A
 * payload under a key id the process does not know is an error instead: the usual cause is a previous key left out
 * after a rotation, which the operator fixes, and the workflow task succeeds once the key is back.
 */
import crypto from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { refusedPayloadValue } from './refused-payload';
import { ConfigError } from '../config/config-error';

const ENCODING = 'binary/encrypted';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface EncryptionKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/** Reads `<id>:<base64 of 32 bytes>` (or only the base64, id `default`) from configuration. */
export function parseEncryptionKey(text: string): EncryptionKey {
  const [id, encoded] = text.includes(':') ? text.split(':', 2) : ['default', text];
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== 32) throw new Error('an encryption key must be 32 bytes, base64-encoded');
  return { id, key };
}

export function generateEncryptionKey(): string {
  return `k${crypto.randomBytes(6).toString('hex')}:${crypto.randomBytes(32).toString('base64')}`;
}

/** Whether a payload is one this codec encrypted (or claims to be): anything else is plain. */
export const isEncryptedPayload = (payload: Payload): boolean => Buffer.from(payload.metadata?.encoding ?? []).toString() === ENCODING;

/** The marker as a JSON payload, which the default payload converter reads like any value. */
const refusedPayload = (reason: string): Payload => ({
  metadata: { encoding: Buffer.from('json/plain') },
  data: Buffer.from(JSON.stringify(refusedPayloadValue(reason))),
});

export class EncryptionCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;

  /** Encrypts with `current`; decrypts with it or any of `previous` (rotation). */
  constructor(
    private readonly current: EncryptionKey,
    previous: EncryptionKey[] = [],
  ) {
    this.byId = new Map([current, ...previous].map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', this.current.key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { encoding: Buffer.from(ENCODING), 'encryption-key-id': Buffer.from(this.current.id) },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (!isEncryptedPayload(payload)) return refusedPayload('not encrypted');
      const keyId = Buffer.from(payload.metadata?.['encryption-key-id'] ?? []).toString();
      const key = this.byId.get(keyId);
      // The process was not given the key: a configuration mistake, said without a stack trace by the CLI.
      if (!key) throw new ConfigError(`payload encrypted with unknown key "${keyId}": give this process that key, as CALLMATRIX_ENCRYPTION_KEY or (after a rotation) in CALLMATRIX_ENCRYPTION_KEYS_PREVIOUS`);
      const data = Buffer.from(payload.data ?? []);
      if (data.length < IV_BYTES + TAG_BYTES) return refusedPayload('not authenticated');
      try {
        const decipher = crypto.createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
        decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
        const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
        return temporal.api.common.v1.Payload.decode(plain);
      } catch {
        return refusedPayload('not authenticated');
      }
    });
  }
}
