import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec, generateEncryptionKey, parseEncryptionKey } from '../../temporal/encryption-codec';
import { isRefusedPayloadValue } from '../../temporal/refused-payload';

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

  it('hands on the refusal marker for plain or altered payloads, never their content (issue 14)', async () => {
    const codec = new EncryptionCodec(parseEncryptionKey(generateEncryptionKey()));
    const [encoded] = await codec.encode([payload]);
    const altered = { ...encoded, data: Buffer.from(encoded.data!).map((byte, i) => (i === 20 ? byte ^ 1 : byte)) };
    const truncated = { ...encoded, data: Buffer.from(encoded.data!).subarray(0, 5) };
    for (const decoded of await codec.decode([payload, altered, truncated])) {
      expect(isRefusedPayloadValue(defaultPayloadConverter.fromPayload(decoded))).toBe(true);
    }
  });

  it('rejects keys of the wrong size', () => {
    expect(() => parseEncryptionKey('k1:c2hvcnQ=')).toThrow(/32 bytes/);
  });
});
