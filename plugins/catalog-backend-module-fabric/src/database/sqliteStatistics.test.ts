import { TestDatabases } from '@backstage/backend-test-utils';
import { isSqlite, refreshSqliteStatistics } from './sqliteStatistics';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe('catalog SQLite statistics', () => {
  it('gives the planner sampled statistics of each index of a table', async () => {
    const db = await databases.init('SQLITE_3');
    expect(isSqlite(db)).toBe(true);
    await db.schema.createTable('search', t => {
      t.string('entity_id');
      t.string('key');
      t.string('value');
      t.index(['key', 'value'], 'search_key_value_idx');
      t.index(['entity_id'], 'search_entity_idx');
    });
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      entity_id: `e${i % 1000}`,
      key: ['kind', 'spec.type', 'metadata.name'][i % 3],
      value: `v${i % 50}`,
    }));
    for (let i = 0; i < rows.length; i += 300) {
      await db('search').insert(rows.slice(i, i + 300));
    }
    const stats = async () =>
      (await db.raw(
        `SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'search' ORDER BY idx`,
      )) as Array<{ idx: string; stat: string }>;
    // No statistics of the table yet (sqlite_stat1 may not even exist).
    expect(await stats().catch(() => [])).toEqual([]);

    await refreshSqliteStatistics(db);
    const after = await stats();
    expect(after.map(s => s.idx)).toEqual([
      'search_entity_idx',
      'search_key_value_idx',
    ]);
    // "rows, rows per distinct first column, ...": sampled, not a full count.
    for (const s of after) {
      expect(Number(s.stat.split(' ')[0])).toBeGreaterThan(0);
    }
  });

  it('is not applied to PostgreSQL', async () => {
    const db = await databases.init('POSTGRES_15');
    expect(isSqlite(db)).toBe(false);
  });
});
