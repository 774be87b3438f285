/** M17 (#11 item 7): a caller's queue is named by a keyed hash of the number, never the number or a plain hash of it. */
import crypto from 'node:crypto';
import { callerKeyFrom } from '../../temporal/caller-key';
import { generateEncryptionKey } from '../../temporal/encryption-codec';

const NUMBER = '+380671234567';

describe('the name of a caller\'s queue', () => {
  it('M17: is the same for the same number and key, and differs between numbers', () => {
    const key = callerKeyFrom(generateEncryptionKey());
    expect(key(NUMBER)).toBe(key(NUMBER));
    expect(key(NUMBER)).not.toBe(key('+380671234568'));
    expect(key(NUMBER)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('M17: depends on the key, so it cannot be found by hashing every phone number', () => {
    const [first, second] = [callerKeyFrom(generateEncryptionKey()), callerKeyFrom(generateEncryptionKey())];
    expect(first(NUMBER)).not.toBe(second(NUMBER));
    const plain = crypto.createHash('sha256').update(NUMBER).digest('hex');
    expect(plain).not.toContain(first(NUMBER));
    expect(first(NUMBER)).not.toContain('380671234567');
  });
});
