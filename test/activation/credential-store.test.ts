/** A1, R1: the encrypted store every process shares: encryption at rest, cross-process visibility, status. */
import fs from 'node:fs';
import path from 'node:path';
import { integrationHealth, SealedFileError, type StoredConnection } from '../../activation';
import { ACTIVATION_FILE } from '../../activation/credential-store';
import { generateEncryptionKey } from '../../temporal/encryption-codec';
import { storeFixture } from './support';

const connection = (refreshToken = '1000.refresh-token-very-secret'): StoredConnection => ({
  dc: 'eu',
  clientId: '1000.CLIENTID',
  clientSecret: 'client-secret-very-secret',
  refreshToken,
  apiDomain: 'https://www.zohoapis.eu',
  scopes: ['ZohoCRM.modules.ALL'],
  connectedAt: new Date().toISOString(),
  via: 'grant-code',
});

describe('activation store (A1)', () => {
  it('A1: keeps the refresh token encrypted at rest, in a file only its owner may read', async () => {
    const fixture = storeFixture();
    const store = await fixture.open();
    await store.connect(connection());
    const file = path.join(fixture.dataDir, ACTIVATION_FILE);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain('refresh-token-very-secret');
    expect(text).not.toContain('client-secret-very-secret');
    expect(text).not.toContain('CLIENTID');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(fixture.dataDir)).toEqual([ACTIVATION_FILE]); // no temporary or lock file left behind
    expect(await store.current()).toEqual({ dc: 'eu', clientId: '1000.CLIENTID', clientSecret: 'client-secret-very-secret', refreshToken: '1000.refresh-token-very-secret' });
    expect(fixture.lines.join('\n')).not.toMatch(/very-secret/);
  });

  it('A1: refuses to open with another key, naming the key ids and the variables', async () => {
    const fixture = storeFixture();
    await (await fixture.open()).connect(connection());
    const otherKey = `other:${generateEncryptionKey().split(':')[1]}`;
    const otherId = 'other';
    await expect(fixture.open({ encryptionKey: otherKey })).rejects.toThrow(SealedFileError);
    await expect(fixture.open({ encryptionKey: otherKey })).rejects.toThrow(
      new RegExp(`encrypted with key "${fixture.encryptionKey.split(':')[0]}", which is neither CALLMATRIX_ENCRYPTION_KEY \\("${otherId}"\\)`),
    );
    // Same key id, other value: the authentication tag fails.
    const sameIdOtherValue = `${fixture.encryptionKey.split(':')[0]}:${otherKey.split(':')[1]}`;
    await expect(fixture.open({ encryptionKey: sameIdOtherValue })).rejects.toThrow(/cannot be decrypted with key .*differs from the one that wrote the file/);
  });

  it('A1: stays readable after a key rotation through CALLMATRIX_ENCRYPTION_KEYS_PREVIOUS, and is rewritten with the new key', async () => {
    const fixture = storeFixture();
    await (await fixture.open()).connect(connection());
    const rotated = await fixture.open({ encryptionKey: `rotated:${generateEncryptionKey().split(':')[1]}`, previousEncryptionKeys: [fixture.encryptionKey] });
    expect((await rotated.current())?.refreshToken).toBe('1000.refresh-token-very-secret');
    await rotated.chooseSeniorManager('42');
    await expect(fixture.open()).rejects.toThrow(SealedFileError);
  });

  it('A1: two processes see each other’s writes without a restart (worker and shim share the data volume)', async () => {
    const fixture = storeFixture();
    const shim = await fixture.open();
    const worker = await fixture.open();
    expect(await worker.current()).toBeNull();
    await shim.connect(connection('first-token'));
    expect((await worker.current())?.refreshToken).toBe('first-token');
    await worker.markBroken('invalid_code', (await worker.current())!);
    expect(integrationHealth(shim)).toMatchObject({ status: 'broken', reason: 'invalid_code' });
    await shim.connect(connection('second-token'));
    expect(integrationHealth(worker)).toMatchObject({ status: 'connected' });
    expect((await worker.current())?.refreshToken).toBe('second-token');
  });

  it('A1: concurrent updates from two processes lose nothing', async () => {
    const fixture = storeFixture();
    const [a, b] = [await fixture.open(), await fixture.open()];
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).mapEmployee(String(i), `user-${i}`)));
    expect(Object.keys((await fixture.open()).choices().employees)).toHaveLength(20);
  });

  it('A1: ZOHO_* credentials seed an empty store only; an activation is never overwritten by them', async () => {
    const fixture = storeFixture();
    const seed = { dc: 'us' as const, clientId: 'env-client', clientSecret: 'env-secret', refreshToken: 'env-token' };
    const fromEnv = await fixture.open({ seed });
    expect(fromEnv.connection()).toMatchObject({ refreshToken: 'env-token', via: 'environment' });
    expect(fromEnv.connection()?.scopes).toBeUndefined();
    await fromEnv.connect(connection('activated-token'));
    const restarted = await fixture.open({ seed });
    expect((await restarted.current())?.refreshToken).toBe('activated-token');
  });

  it('R1: is broken once Zoho refuses, until re-activation; a refusal of a replaced token changes nothing', async () => {
    const fixture = storeFixture();
    const store = await fixture.open();
    expect(integrationHealth(store)).toEqual({ status: 'not-connected' });
    await store.connect(connection('old-token'));
    expect(integrationHealth(store).status).toBe('connected');
    const old = (await store.current())!;
    await store.connect(connection('new-token'));
    await store.markBroken('invalid_code', old); // a worker still holding the old token
    expect(integrationHealth(store).status).toBe('connected');
    await store.markBroken('Zoho Accounts refused the grant (invalid_code)');
    const health = integrationHealth(store);
    expect(health).toMatchObject({ status: 'broken', reason: 'Zoho Accounts refused the grant (invalid_code)' });
    expect(Date.parse(health.since!)).not.toBeNaN();
    await store.markBroken('again'); // first cause and time are kept
    expect(integrationHealth(store)).toEqual(health);
    const errors = fixture.lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0].msg).toMatch(/integration broken/);
  });

  it('A1: a browser state works once and not after it expires', async () => {
    const store = await storeFixture().open();
    const pending = { dc: 'us' as const, clientId: 'c', clientSecret: 's', redirectUri: 'http://x/cb', resend: true };
    await store.addPendingAuthorization('state-1', { ...pending, expiresAt: Date.now() + 60_000 });
    await store.addPendingAuthorization('state-2', { ...pending, expiresAt: Date.now() - 1 });
    expect(await store.takePendingAuthorization('wrong')).toBeUndefined();
    expect(await store.takePendingAuthorization('state-1')).toMatchObject({ clientId: 'c', resend: true });
    expect(await store.takePendingAuthorization('state-1')).toBeUndefined();
    expect(await store.takePendingAuthorization('state-2')).toBeUndefined();
  });

  it('R2, R3 (security): a re-activation ticket is claimed by one run, which may ask again; a newer ticket voids it', async () => {
    const store = await storeFixture().open();
    expect(await store.claimReactivation(undefined, 'run-a')).toBe(false);
    const first = await store.issueReactivation();
    expect(await store.claimReactivation('forged', 'run-a')).toBe(false);
    expect(await store.claimReactivation(first, 'run-a')).toBe(true);
    expect(await store.claimReactivation(first, 'run-a')).toBe(true);
    expect(await store.claimReactivation(first, 'run-b')).toBe(false);
    const second = await store.issueReactivation();
    expect(second).not.toBe(first);
    expect(await store.claimReactivation(first, 'run-a')).toBe(false);
    expect(await store.claimReactivation(second, 'run-c')).toBe(true);
  });
});
