import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec, generateEncryptionKey, parseEncryptionKey } from '../../temporal/encryption-codec';

describe('payload encryption', () => {
  const payload = defaultPayloadConverter.toPayload({ clientNumber: '+380671234567' });

  it('round-trips and leaves no readable phone number in the encoded payload', async () => {
    const codec = new EncryptionCodec(parseEncryptionKey(generateEncryptionKey()));
    const [encoded] = await codec.encode([payload]);
    expect(Buffer.from(encoded.data!).toString('latin1')).not.toContain('380671234567');
    const [decoded] = await codec.decode([encoded]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual({ clientNumber: '+380671234567' });
  });

  it('reads payloads written with a previous key after a rotation, and names an unknown key', async () => {
    const oldKey = parseEncryptionKey(generateEncryptionKey().replace(/^k[^:]*/, 'old'));
    const [encoded] = await new EncryptionCodec(oldKey).encode([payload]);
    const rotated = new EncryptionCodec(parseEncryptionKey(generateEncryptionKey()), [oldKey]);
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([encoded]))[0])).toEqual({ clientNumber: '+380671234567' });
    await expect(new EncryptionCodec(parseEncryptionKey(generateEncryptionKey())).decode([encoded])).rejects.toThrow(/unknown key "old"/);
  });

  it('rejects keys of the wrong size', () => {
    expect(() => parseEncryptionKey('k1:c2hvcnQ=')).toThrow(/32 bytes/);
  });
});
