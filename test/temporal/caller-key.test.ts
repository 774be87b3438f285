/**
 * M17 (#11 item 7): a caller's queue is named by a keyed hash of the number, never the number or a plain hash of it;
 * the key is the deployment's own, kept in the activation file, so rotating CALLMATRIX_ENCRYPTION_KEY leaves every
 * caller in its queue.
 */
import crypto from 'node:crypto';
import { callerKeyFrom, deploymentCallerKey } from '../../temporal/caller-key';
import { generateEncryptionKey } from '../../temporal/encryption-codec';
import { storeFixture } from '../activation/support';

const NUMBER = '+380671234567';
const randomKey = () => callerKeyFrom(crypto.randomBytes(32));

describe('the name of a caller\'s queue', () => {
  it('M17: is the same for the same number and key, and differs between numbers', () => {
    const key = randomKey();
    expect(key(NUMBER)).toBe(key(NUMBER));
    expect(key(NUMBER)).not.toBe(key('+380671234568'));
    expect(key(NUMBER)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('M17: depends on the key, so it cannot be found by hashing every phone number', () => {
    const [first, second] = [randomKey(), randomKey()];
    expect(first(NUMBER)).not.toBe(second(NUMBER));
    const plain = crypto.createHash('sha256').update(NUMBER).digest('hex');
    expect(plain).not.toContain(first(NUMBER));
    expect(first(NUMBER)).not.toContain('380671234567');
  });

  it('M17: its key is kept for the deployment by the first worker, agreed by workers starting together, and kept through encryption-key rotations', async () => {
    const fixture = storeFixture();
    const [one, two] = await Promise.all([fixture.open(), fixture.open()]);
    // Two workers starting at once, one of them already on the next encryption key: the first to keep its key wins.
    const rotated = generateEncryptionKey();
    const [first, second] = await Promise.all([deploymentCallerKey(one, fixture.encryptionKey), deploymentCallerKey(two, rotated)]);
    expect(first(NUMBER)).toBe(second(NUMBER));

    // Rotated: the new key first, the old one kept for reading; then the old one dropped.
    const during = await fixture.open({ encryptionKey: rotated, previousEncryptionKeys: [fixture.encryptionKey] });
    expect((await deploymentCallerKey(during, rotated))(NUMBER)).toBe(first(NUMBER));
    const after = await fixture.open({ encryptionKey: rotated });
    expect((await deploymentCallerKey(after, generateEncryptionKey()))(NUMBER)).toBe(first(NUMBER));
  });
});
