/**
 * A small JSON document kept encrypted at rest (AES-256-GCM) in one file that several processes share. Writes go
 * to a temporary file renamed over the old one, so a reader sees the old or the new document, never half of one;
 * readers notice a change by the file's identity (a rename gives a new inode) and re-read only then.
 * Read-modify-write cycles take a lock file, so two processes updating at once (a worker marking the integration
 * broken while the admin re-activates it) do not lose either update.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseEncryptionKey } from '../temporal/encryption-codec';
import { ConfigError } from '../config/config-error';

const FORMAT = 'callmatrix-sealed-v1';
const IV_BYTES = 12;
/** A lock older than this belongs to a process that died mid-update; it is taken over. */
const STALE_LOCK_MS = 10_000;
const LOCK_RETRY_MS = 20;

interface Envelope {
  format: typeof FORMAT;
  keyId: string;
  iv: string;
  tag: string;
  data: string;
}

interface SealingKey {
  id: string;
  key: Buffer;
}

/**
 * The file key is derived from CALLMATRIX_ENCRYPTION_KEY with HKDF and a purpose label, so the key that encrypts
 * call data in Temporal is never used as is for anything else.
 */
function sealingKey(configured: string, purpose: string): SealingKey {
  const { id, key } = parseEncryptionKey(configured);
  return { id, key: Buffer.from(crypto.hkdfSync('sha256', key, Buffer.alloc(0), `callmatrix ${purpose}`, 32)) };
}

/** A ConfigError: the usual cause is a process given another CALLMATRIX_ENCRYPTION_KEY than the one that wrote the file. */
export class SealedFileError extends ConfigError {
  override name = 'SealedFileError';
}

export interface SealedFileOptions {
  file: string;
  /** `<id>:<base64 of 32 bytes>`, as CALLMATRIX_ENCRYPTION_KEY. */
  encryptionKey: string;
  /** Earlier keys (CALLMATRIX_ENCRYPTION_KEYS_PREVIOUS): a file written before a rotation stays readable. */
  previousEncryptionKeys?: string[];
  /** What the file holds; also the HKDF label, so keys for different files differ. */
  purpose: string;
}

export class SealedFile<T> {
  private readonly current: SealingKey;
  private readonly byId: Map<string, Buffer>;
  private cached?: { identity: string; value: T; keyId: string };

  constructor(private readonly options: SealedFileOptions) {
    this.current = sealingKey(options.encryptionKey, options.purpose);
    const previous = (options.previousEncryptionKeys ?? []).map((k) => sealingKey(k, options.purpose));
    this.byId = new Map([...previous, this.current].map((k) => [k.id, k.key]));
  }

  /** The document, or undefined when there is no file yet. Cheap when unchanged: one stat. */
  read(): T | undefined {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(this.options.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const identity = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    if (this.cached?.identity !== identity) this.cached = { identity, ...this.open(fs.readFileSync(this.options.file, 'utf8')) };
    return this.cached.value;
  }

  /**
   * Writes the document again under the current key when a previous key sealed it, so the previous key can be
   * dropped after a rotation. True when it did.
   */
  async resealUnderCurrentKey(): Promise<boolean> {
    if (this.read() === undefined || this.cached?.keyId === this.current.id) return false;
    let resealed = false;
    await this.update((value) => {
      resealed = this.cached?.keyId !== this.current.id;
      return value as T;
    });
    return resealed;
  }

  /** Reads, changes and writes the document under the lock; `change` returns the new document. */
  async update(change: (value: T | undefined) => T): Promise<T> {
    const release = await this.lock();
    try {
      // A copy: the cached document stays as read should `change` edit its argument.
      const next = change(structuredClone(this.read()));
      this.write(next);
      return next;
    } finally {
      release();
    }
  }

  private open(text: string): { value: T; keyId: string } {
    const file = this.options.file;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(text) as Envelope;
    } catch {
      throw new SealedFileError(`${file}: not a callmatrix ${this.options.purpose} file (not JSON)`);
    }
    if (envelope.format !== FORMAT) throw new SealedFileError(`${file}: not a callmatrix ${this.options.purpose} file (format ${String(envelope.format)})`);
    const key = this.byId.get(envelope.keyId);
    if (!key) {
      throw new SealedFileError(
        `${file}: encrypted with key "${envelope.keyId}", which is neither CALLMATRIX_ENCRYPTION_KEY ("${this.current.id}") ` +
          'nor in CALLMATRIX_ENCRYPTION_KEYS_PREVIOUS; every process must share the same key',
      );
    }
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'));
      decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(envelope.data, 'base64')), decipher.final()]);
      return { value: JSON.parse(plain.toString('utf8')) as T, keyId: envelope.keyId };
    } catch {
      throw new SealedFileError(
        `${file}: cannot be decrypted with key "${envelope.keyId}": the key's value differs from the one that wrote the file, or the file was altered`,
      );
    }
  }

  private write(value: T): void {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.current.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    const envelope: Envelope = { format: FORMAT, keyId: this.current.id, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    const file = this.options.file;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(envelope), { mode: 0o600 });
    fs.renameSync(temporary, file);
  }

  private async lock(): Promise<() => void> {
    const lockFile = `${this.options.file}.lock`;
    fs.mkdirSync(path.dirname(lockFile), { recursive: true });
    for (;;) {
      try {
        fs.closeSync(fs.openSync(lockFile, 'wx', 0o600));
        return () => fs.rmSync(lockFile, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if (lockAge(lockFile) > STALE_LOCK_MS) fs.rmSync(lockFile, { force: true });
        else await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
      }
    }
  }
}

function lockAge(lockFile: string): number {
  try {
    return Date.now() - fs.statSync(lockFile).mtimeMs;
  } catch {
    return 0;
  }
}
