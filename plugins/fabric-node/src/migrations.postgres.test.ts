import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestDatabases } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { runMigrations } from './migrations';

// Real PostgreSQL: several processes' worth of knex pools migrating one fresh database at the
// same moment, as replicas of the backend do when they start together.

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

const REPLICAS = 6;
const ROUNDS = 5;

function migrationsFolder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-migrations-'));
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const WIDGETS = {
  '20260101000000_widgets.js': `
    exports.up = knex => knex.schema.createTable('widgets', t => { t.string('id').primary(); });
    exports.down = knex => knex.schema.dropTable('widgets');`,
  '20260102000000_widget_colour.js': `
    exports.up = knex => knex.schema.alterTable('widgets', t => { t.string('colour'); });
    exports.down = knex => knex.schema.alterTable('widgets', t => { t.dropColumn('colour'); });`,
};

/** Both WIDGETS migrations recorded once, and knex's one lock row unlocked. */
const MIGRATED_ONCE = {
  lockRows: [0],
  applied: [
    ['20260101000000_widgets.js', 1],
    ['20260102000000_widget_colour.js', 1],
  ],
};

describe('runMigrations on PostgreSQL', () => {
  const pools: Knex[] = [];
  const folders: string[] = [];

  afterAll(async () => {
    await Promise.all(pools.map(p => p.destroy()));
    for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh database, and `count` separate pools on it (one per "replica"). */
  async function freshDatabase(count: number) {
    const db = await databases.init('POSTGRES_15');
    const replicas = Array.from({ length: count }, () =>
      knexFactory({
        client: 'pg',
        connection: db.client.config.connection,
        pool: { min: 0, max: 3 },
      }),
    );
    pools.push(...replicas);
    return { db, replicas };
  }

  async function bookkeeping(db: Knex) {
    const lockRows = await db('knex_migrations_lock').select('is_locked');
    const applied: Array<{ name: string; times: string }> = (
      await db.raw(
        'SELECT name, count(*) AS times FROM knex_migrations GROUP BY name ORDER BY name',
      )
    ).rows;
    return {
      lockRows: lockRows.map(r => Number(r.is_locked)),
      applied: applied.map(r => [r.name, Number(r.times)]),
    };
  }

  it(`lets ${REPLICAS} replicas start at once on an empty database, ${ROUNDS} times: all succeed, each migration runs once, one unlocked lock row`, async () => {
    const dir = migrationsFolder(WIDGETS);
    folders.push(dir);
    for (let round = 0; round < ROUNDS; round++) {
      const { db, replicas } = await freshDatabase(REPLICAS);
      const results = await Promise.allSettled(
        replicas.map(r => runMigrations(r, dir, { retryDelayMs: 10 })),
      );
      expect({
        round,
        failed: results.filter(r => r.status === 'rejected'),
      }).toEqual({ round, failed: [] });
      expect(await bookkeeping(db)).toEqual(MIGRATED_ONCE);
      expect(await db.schema.hasColumn('widgets', 'colour')).toBe(true);
    }
  });

  it('repairs a database an earlier race left with two lock rows, which knex alone reports as "already locked" for ever', async () => {
    const dir = migrationsFolder(WIDGETS);
    folders.push(dir);
    const { db, replicas } = await freshDatabase(1);
    await db.schema.createTable('knex_migrations', t => {
      t.increments();
      t.string('name');
      t.integer('batch');
      t.timestamp('migration_time');
    });
    await db.schema.createTable('knex_migrations_lock', t => {
      t.increments('index').primary();
      t.integer('is_locked');
    });
    await db('knex_migrations_lock').insert([
      { is_locked: 0 },
      { is_locked: 0 },
    ]);
    await expect(db.migrate.latest({ directory: dir })).rejects.toThrow(
      'Migration table is already locked',
    );

    await runMigrations(replicas[0], dir);
    expect(await bookkeeping(db)).toEqual(MIGRATED_ONCE);
  });

  it('lets the next replica migrate after one whose migration failed (the failure rolls back and frees the turn)', async () => {
    const broken = migrationsFolder({
      ...WIDGETS,
      '20260103000000_broken.js': `
        exports.up = knex => knex.raw('ALTER TABLE no_such_table ADD COLUMN x text');
        exports.down = async () => {};`,
    });
    const fixed = migrationsFolder(WIDGETS);
    folders.push(broken, fixed);
    const { db, replicas } = await freshDatabase(2);
    await expect(runMigrations(replicas[0], broken)).rejects.toThrow(
      /no_such_table/,
    );
    await runMigrations(replicas[1], fixed);
    expect(await bookkeeping(db)).toEqual(MIGRATED_ONCE);
  });
});
