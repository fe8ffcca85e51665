import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { SigningKeyChallenge } from '@internal/plugin-fabric-common';
import { applyMigrations } from './migrations';
import { ChallengeStore } from './ChallengeStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

// PostgreSQL says "duplicate key value violates unique constraint", SQLite "UNIQUE constraint
// failed" (better-sqlite3's errors come from another realm, so toThrow() does not see them).
const UNIQUE_VIOLATION = { message: expect.stringMatching(/unique/i) };

const challenge = (
  id: string,
  expiresAt = '2026-01-01T00:10:00.000Z',
): SigningKeyChallenge => ({
  id,
  userRef: 'user:default/olivia.operator',
  purpose: 'register',
  text: `fabric-signing-key-challenge ${id}`,
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt,
});

describe.each(databases.eachSupportedId())(
  'ChallengeStore on %s',
  databaseId => {
    async function setUp(id: TestDatabaseId) {
      const db = await databases.init(id);
      await applyMigrations(db);
      return { db, store: new ChallengeStore(db) };
    }

    it('stores a challenge and finds it by id, unused', async () => {
      const { store } = await setUp(databaseId);
      await store.insert(challenge('c1'));
      expect(await store.find('c1')).toEqual({
        ...challenge('c1'),
        usedAt: undefined,
      });
      expect(await store.find('missing')).toBeUndefined();
      await expect(store.insert(challenge('c1'))).rejects.toMatchObject(
        UNIQUE_VIOLATION,
      );
    });

    it('is consumed once: a replay gets false', async () => {
      const { db, store } = await setUp(databaseId);
      await store.insert(challenge('c1'));
      const at = '2026-01-01T00:01:00.000Z';
      expect(await db.transaction(tx => store.consume(tx, 'c1', at))).toBe(
        true,
      );
      expect(
        await db.transaction(tx =>
          store.consume(tx, 'c1', '2026-01-01T00:02:00.000Z'),
        ),
      ).toBe(false);
      expect((await store.find('c1'))?.usedAt).toBe(at);
      expect(await db.transaction(tx => store.consume(tx, 'ghost', at))).toBe(
        false,
      );
    });

    it('stays unused when the consuming transaction rolls back', async () => {
      const { db, store } = await setUp(databaseId);
      await store.insert(challenge('c1'));
      await expect(
        db.transaction(async tx => {
          expect(
            await store.consume(tx, 'c1', '2026-01-01T00:01:00.000Z'),
          ).toBe(true);
          expect((await store.find('c1', tx))?.usedAt).toBeDefined();
          throw new Error('the signature did not verify');
        }),
      ).rejects.toThrow('the signature did not verify');
      expect((await store.find('c1'))?.usedAt).toBeUndefined();
    });

    it('deletes only challenges that expired before the given time', async () => {
      const { store } = await setUp(databaseId);
      await store.insert(challenge('old', '2026-01-01T00:10:00.000Z'));
      await store.insert(challenge('edge', '2026-01-01T00:20:00.000Z'));
      await store.insert(challenge('new', '2026-01-01T00:30:00.000Z'));
      expect(await store.deleteExpired('2026-01-01T00:20:00.000Z')).toBe(1);
      expect(await store.find('old')).toBeUndefined();
      expect(await store.find('edge')).toBeDefined();
      expect(await store.find('new')).toBeDefined();
    });
  },
);
