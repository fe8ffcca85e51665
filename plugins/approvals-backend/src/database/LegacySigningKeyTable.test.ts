import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { LegacySigningKeyTable } from './LegacySigningKeyTable';
import { applyMigrations } from './migrations';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'LegacySigningKeyTable on %s',
  databaseId => {
    it('reads nothing from an empty table', async () => {
      const db = await databases.init(databaseId as TestDatabaseId);
      await applyMigrations(db);
      expect(await new LegacySigningKeyTable(db).all()).toEqual([]);
    });

    it('reads every row of the old table, ordered by user', async () => {
      const db = await databases.init(databaseId as TestDatabaseId);
      await applyMigrations(db);
      const row = (user: string, fingerprint: string) => ({
        user_ref: user,
        fingerprint,
        armored_key: `-----BEGIN PGP PUBLIC KEY BLOCK----- ${user}`,
        created_at: '2026-01-01T10:00:00.000Z',
        updated_at: '2026-01-02T10:00:00.000Z',
      });
      await db('approvals_signing_keys').insert([
        row('user:default/oscar.operator', 'B'.repeat(40)),
        row('user:default/olivia.operator', 'A'.repeat(40)),
      ]);
      expect(await new LegacySigningKeyTable(db).all()).toEqual([
        {
          userRef: 'user:default/olivia.operator',
          fingerprint: 'A'.repeat(40),
          armoredKey:
            '-----BEGIN PGP PUBLIC KEY BLOCK----- user:default/olivia.operator',
          createdAt: '2026-01-01T10:00:00.000Z',
        },
        {
          userRef: 'user:default/oscar.operator',
          fingerprint: 'B'.repeat(40),
          armoredKey:
            '-----BEGIN PGP PUBLIC KEY BLOCK----- user:default/oscar.operator',
          createdAt: '2026-01-01T10:00:00.000Z',
        },
      ]);
    });
  },
);
