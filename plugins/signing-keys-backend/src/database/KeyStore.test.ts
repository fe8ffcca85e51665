import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { applyMigrations } from './migrations';
import { KeyStore, StoredKey, toInfo } from './KeyStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

// PostgreSQL says "duplicate key value violates unique constraint", SQLite "UNIQUE constraint
// failed" (better-sqlite3's errors come from another realm, so toThrow() does not see them).
const UNIQUE_VIOLATION = { message: expect.stringMatching(/unique/i) };

const key = (
  id: string,
  overrides: Partial<StoredKey> = {},
): Omit<StoredKey, 'revokedAt' | 'revokedBy' | 'revokeReason'> => ({
  id,
  userRef: 'user:default/olivia.operator',
  fingerprint: `FPR${id.toUpperCase()}`,
  fingerprints: [`FPR${id.toUpperCase()}`, `SUB${id.toUpperCase()}`],
  armoredKey: `-----BEGIN PGP PUBLIC KEY BLOCK-----\n${id}`,
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

describe.each(databases.eachSupportedId())('KeyStore on %s', databaseId => {
  async function setUp(id: TestDatabaseId) {
    const db = await databases.init(id);
    await applyMigrations(db);
    return { db, store: new KeyStore(db) };
  }
  const inTx = <T>(db: Knex, fn: (tx: Knex.Transaction) => Promise<T>) =>
    db.transaction(fn);

  it('stores a key and reads it back whole, newest first per user', async () => {
    const { db, store } = await setUp(databaseId);
    await inTx(db, tx =>
      store.insert(
        tx,
        key('k1', { status: 'revoked', createdAt: '2026-01-01T00:00:00Z' }),
      ),
    );
    await inTx(db, tx =>
      store.insert(tx, key('k2', { createdAt: '2026-02-01T00:00:00Z' })),
    );
    await inTx(db, tx =>
      store.insert(tx, key('k3', { userRef: 'user:default/oscar.operator' })),
    );
    const olivia = await store.listForUser('user:default/olivia.operator');
    expect(olivia.map(k => k.id)).toEqual(['k2', 'k1']);
    expect(olivia[0]).toEqual({
      ...key('k2', { createdAt: '2026-02-01T00:00:00Z' }),
      statusMessage: undefined,
      legacySource: undefined,
      revokedAt: undefined,
      revokedBy: undefined,
      revokeReason: undefined,
    });
    expect(toInfo(olivia[0])).not.toHaveProperty('armoredKey');
    expect(await store.listForUser('user:default/nobody')).toEqual([]);
  });

  it('refuses a second active key for one user, and a duplicate id', async () => {
    const { db, store } = await setUp(databaseId);
    await inTx(db, tx => store.insert(tx, key('k1')));
    await expect(
      inTx(db, tx => store.insert(tx, key('k2'))),
    ).rejects.toMatchObject(UNIQUE_VIOLATION);
    await expect(
      inTx(db, tx => store.insert(tx, key('k1', { status: 'revoked' }))),
    ).rejects.toMatchObject(UNIQUE_VIOLATION);
    // A flagged key beside the active one is fine: only active keys are unique per user.
    await inTx(db, tx => store.insert(tx, key('k3', { status: 'conflict' })));
    expect(
      (await store.listForUser('user:default/olivia.operator')).map(
        k => k.status,
      ),
    ).toEqual(expect.arrayContaining(['active', 'conflict']));
  });

  it('imports a legacy row once, however often the import runs', async () => {
    const { db, store } = await setUp(databaseId);
    const legacy = 'approvals:user:default/olivia.operator:FPRK1';
    const first = await inTx(db, tx =>
      store.insert(
        tx,
        key('k1', { status: 'unproven', legacySource: 'approvals' }),
        legacy,
      ),
    );
    const second = await inTx(db, tx =>
      store.insert(
        tx,
        key('k2', { status: 'unproven', legacySource: 'approvals' }),
        legacy,
      ),
    );
    expect([first, second]).toEqual([true, false]);
    const keys = await store.listForUser('user:default/olivia.operator');
    expect(keys.map(k => [k.id, k.legacySource])).toEqual([
      ['k1', 'approvals'],
    ]);
  });

  it('lists by status ordered by user then id, and changes status and revocation', async () => {
    const { db, store } = await setUp(databaseId);
    await inTx(db, async tx => {
      await store.insert(
        tx,
        key('b', { userRef: 'user:default/oscar.operator' }),
      );
      await store.insert(tx, key('a'));
      await store.insert(tx, key('c', { status: 'unproven' }));
    });
    expect(
      (await store.listByStatus(['active'])).map(k => [k.userRef, k.id]),
    ).toEqual([
      ['user:default/olivia.operator', 'a'],
      ['user:default/oscar.operator', 'b'],
    ]);
    await inTx(db, tx =>
      store.setStatus(tx, 'c', 'conflict', 'Fingerprint of another user'),
    );
    await inTx(db, tx =>
      store.markRevoked(tx, 'a', {
        at: '2026-03-01T00:00:00.000Z',
        by: 'user:default/olivia.operator',
        reason: 'laptop lost',
      }),
    );
    const olivia = await store.listForUser('user:default/olivia.operator');
    expect(olivia.find(k => k.id === 'a')).toMatchObject({
      status: 'revoked',
      statusMessage: undefined,
      revokedAt: '2026-03-01T00:00:00.000Z',
      revokedBy: 'user:default/olivia.operator',
      revokeReason: 'laptop lost',
    });
    expect(olivia.find(k => k.id === 'c')).toMatchObject({
      status: 'conflict',
      statusMessage: 'Fingerprint of another user',
    });
    expect(await store.listByStatus(['active'])).toHaveLength(1);
    // A status change of a key that does not exist changes nothing.
    await inTx(db, tx => store.setStatus(tx, 'ghost', 'active', null));
    expect(await store.listByStatus(['active'])).toHaveLength(1);
  });

  it('writes nothing when the transaction that inserted rolls back', async () => {
    const { db, store } = await setUp(databaseId);
    await expect(
      inTx(db, async tx => {
        await store.insert(tx, key('k1'));
        throw new Error('audit append failed');
      }),
    ).rejects.toThrow('audit append failed');
    expect(await store.listForUser('user:default/olivia.operator')).toEqual([]);
  });
});
