import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { legacySigningKeyTableCases } from '@internal/fabric-test-utils';
import { LegacySigningKeyTable } from './LegacySigningKeyTable';
import { applyMigrations } from './migrations';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'LegacySigningKeyTable on %s',
  databaseId => {
    legacySigningKeyTableCases({
      table: 'evidence_signing_keys',
      async open() {
        const db = await databases.init(databaseId as TestDatabaseId);
        await applyMigrations(db);
        const table = new LegacySigningKeyTable(db);
        return { db, all: () => table.all() };
      },
    });
  },
);
