import { TestDatabases } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import { applyMigrations } from './migrations';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe('signing-key registry migrations', () => {
  it('let two replicas start at once on one PostgreSQL database', async () => {
    const first = await databases.init('POSTGRES_15');
    // A second connection pool to the same database, as a second backend process has.
    const second = knexFactory({
      client: 'pg',
      connection: first.client.config.connection,
    });
    try {
      await Promise.all([applyMigrations(first), applyMigrations(second)]);
      const tables = await first('signing_keys').count({ n: '*' });
      expect(Number(tables[0].n)).toBe(0);
      const [{ n }] = await first('knex_migrations').count({ n: '*' });
      expect(Number(n)).toBe(1);
    } finally {
      await second.destroy();
    }
  });

  it.each(databases.eachSupportedId())('are idempotent on %s', async id => {
    const db = await databases.init(id);
    await applyMigrations(db);
    await applyMigrations(db);
    expect(await db.schema.hasTable('signing_key_audit')).toBe(true);
  });
});
