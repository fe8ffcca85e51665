import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { applyMigrations } from './migrations';
import { FingerprintStore } from './FingerprintStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

// PostgreSQL says "duplicate key value violates unique constraint", SQLite "UNIQUE constraint
// failed" (better-sqlite3's errors come from another realm, so toThrow() does not see them).
const UNIQUE_VIOLATION = { message: expect.stringMatching(/unique/i) };

describe.each(databases.eachSupportedId())(
  'FingerprintStore on %s',
  databaseId => {
    async function setUp(id: TestDatabaseId) {
      const db = await databases.init(id);
      await applyMigrations(db);
      return { db, store: new FingerprintStore(db) };
    }

    it('answers who claims which fingerprints, in fingerprint order', async () => {
      const { db, store } = await setUp(databaseId);
      await db.transaction(tx =>
        store.claim(tx, 'k1', 'user:default/olivia.operator', ['BBB', 'AAA']),
      );
      expect(await store.claimsOf([])).toEqual([]);
      expect(await store.claimsOf(['CCC'])).toEqual([]);
      expect(await store.claimsOf(['BBB', 'CCC', 'AAA'])).toEqual([
        {
          fingerprint: 'AAA',
          keyId: 'k1',
          userRef: 'user:default/olivia.operator',
        },
        {
          fingerprint: 'BBB',
          keyId: 'k1',
          userRef: 'user:default/olivia.operator',
        },
      ]);
    });

    it('gives a fingerprint one owner: a second claim fails and rolls back whole', async () => {
      const { db, store } = await setUp(databaseId);
      await db.transaction(tx =>
        store.claim(tx, 'k1', 'user:default/olivia.operator', ['AAA']),
      );
      // Oscar's key shares a subkey with Olivia's: nothing of his claim may stay.
      await expect(
        db.transaction(tx =>
          store.claim(tx, 'k2', 'user:default/oscar.operator', ['DDD', 'AAA']),
        ),
      ).rejects.toMatchObject(UNIQUE_VIOLATION);
      expect(await store.claimsOf(['AAA', 'DDD'])).toEqual([
        {
          fingerprint: 'AAA',
          keyId: 'k1',
          userRef: 'user:default/olivia.operator',
        },
      ]);
      // The same fingerprint twice in one claim is refused too.
      await expect(
        db.transaction(tx =>
          store.claim(tx, 'k3', 'user:default/oscar.operator', ['EEE', 'EEE']),
        ),
      ).rejects.toMatchObject(UNIQUE_VIOLATION);
      expect(await store.claimsOf(['EEE'])).toEqual([]);
    });

    it('releases the fingerprints of one key only, so they can be claimed again', async () => {
      const { db, store } = await setUp(databaseId);
      await db.transaction(async tx => {
        await store.claim(tx, 'k1', 'user:default/olivia.operator', [
          'AAA',
          'BBB',
        ]);
        await store.claim(tx, 'k2', 'user:default/oscar.operator', ['CCC']);
      });
      await db.transaction(tx => store.release(tx, 'k1'));
      // Releasing a key without claims is harmless.
      await db.transaction(tx => store.release(tx, 'ghost'));
      expect(
        (await store.claimsOf(['AAA', 'BBB', 'CCC'])).map(c => c.fingerprint),
      ).toEqual(['CCC']);
      await db.transaction(tx =>
        store.claim(tx, 'k3', 'user:default/oscar.operator', ['AAA']),
      );
      expect(await store.claimsOf(['AAA'])).toEqual([
        {
          fingerprint: 'AAA',
          keyId: 'k3',
          userRef: 'user:default/oscar.operator',
        },
      ]);
    });
  },
);
