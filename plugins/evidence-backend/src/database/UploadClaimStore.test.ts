import { TestDatabases } from '@backstage/backend-test-utils';
import { applyMigrations } from './migrations';
import { UploadClaimStore } from './UploadClaimStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const now = new Date('2026-12-06T08:00:00Z');

describe.each(databases.eachSupportedId())(
  'UploadClaimStore on %s',
  databaseId => {
    async function setUp() {
      const db = await databases.init(databaseId);
      await applyMigrations(db);
      return { db, store: new UploadClaimStore(db) };
    }

    it('gives a path to the first claim and tells later claims who owns it', async () => {
      const { db, store } = await setUp();
      const path = 'evidence/tenants/project-birds/20261206T080000Z';
      expect(await store.claim(path, 'a'.repeat(64), now)).toBe('a'.repeat(64));
      expect(await store.claim(path, 'b'.repeat(64), now)).toBe('a'.repeat(64));
      expect(await store.claim(path, 'a'.repeat(64), now)).toBe('a'.repeat(64));
      expect(await db('evidence_upload_claims').count({ n: '*' })).toEqual([
        { n: databaseId === 'SQLITE_3' ? 1 : '1' },
      ]);
    });

    it('lets exactly one of many simultaneous claims with different content win', async () => {
      const { store } = await setUp();
      const path = 'evidence/release/20261206T080000Z';
      const digests = [...'0123456789'].map(c => c.repeat(64));
      const answers = await Promise.all(
        digests.map(d => store.claim(path, d, now)),
      );
      expect(new Set(answers).size).toBe(1);
      expect(digests).toContain(answers[0]);
    });
  },
);
