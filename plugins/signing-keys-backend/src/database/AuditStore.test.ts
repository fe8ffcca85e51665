import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { SigningKeyAuditRecord } from '@internal/plugin-fabric-common';
import { applyMigrations } from './migrations';
import { AuditStore } from './AuditStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

// PostgreSQL says "duplicate key value violates unique constraint", SQLite "UNIQUE constraint
// failed" (better-sqlite3's errors come from another realm, so toThrow() does not see them).
const UNIQUE_VIOLATION = { message: expect.stringMatching(/unique/i) };

const record = (
  id: string,
  overrides: Partial<SigningKeyAuditRecord> = {},
): SigningKeyAuditRecord => ({
  id,
  at: '2026-01-01T00:00:00.000Z',
  action: 'registered',
  actor: 'user:default/olivia.operator',
  userRef: 'user:default/olivia.operator',
  keyId: `key-${id}`,
  fingerprint: `FPR-${id}`,
  details: { source: 'test', n: 1 },
  ...overrides,
});

describe.each(databases.eachSupportedId())('AuditStore on %s', databaseId => {
  async function setUp(id: TestDatabaseId) {
    const db = await databases.init(id);
    await applyMigrations(db);
    return { db, store: new AuditStore(db) };
  }

  it('lists records newest append first, whatever their timestamps say', async () => {
    const { db, store } = await setUp(databaseId);
    // Appended in this order; the clock of a second replica may be behind.
    await store.append(db, record('a', { at: '2026-01-02T00:00:00.000Z' }));
    await store.append(db, record('b', { at: '2026-01-01T00:00:00.000Z' }));
    await store.append(
      db,
      record('c', {
        action: 'registration-refused',
        userRef: 'user:default/oscar.operator',
        keyId: undefined,
        fingerprint: undefined,
        details: { reason: 'fingerprint of another user' },
      }),
    );
    expect((await store.list({})).map(r => r.id)).toEqual(['c', 'b', 'a']);
    expect(
      await store.list({ userRef: 'user:default/oscar.operator' }),
    ).toEqual([
      record('c', {
        action: 'registration-refused',
        userRef: 'user:default/oscar.operator',
        keyId: undefined,
        fingerprint: undefined,
        details: { reason: 'fingerprint of another user' },
      }),
    ]);
    expect((await store.list({ limit: 1 })).map(r => r.id)).toEqual(['c']);
  });

  it('refuses a record id twice, and appends nothing from a rolled-back transaction', async () => {
    const { db, store } = await setUp(databaseId);
    await store.append(db, record('a'));
    await expect(store.append(db, record('a'))).rejects.toMatchObject(
      UNIQUE_VIOLATION,
    );
    await expect(
      db.transaction(async tx => {
        await store.append(tx, record('b'));
        throw new Error('the key insert failed');
      }),
    ).rejects.toThrow('the key insert failed');
    expect((await store.list({})).map(r => r.id)).toEqual(['a']);
  });
});
