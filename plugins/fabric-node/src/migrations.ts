import { createHash } from 'node:crypto';
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

/** Runs a plugin's knex migrations unless the database service says skip. */
export type ApplyMigrations = (
  knex: Knex,
  database?: DatabaseService,
) => Promise<void>;

const LOCK_RETRIES = 30;
const MIGRATIONS_TABLE = 'knex_migrations';
const LOCK_TABLE = `${MIGRATIONS_TABLE}_lock`;

/** knex's own bookkeeping raced with another replica's: worth trying again. */
export function isMigrationRace(error: unknown): boolean {
  const message = String((error as Error)?.message ?? error);
  return (
    /already locked/i.test(message) ||
    (/knex_migrations/.test(message) &&
      /already exists|duplicate key/i.test(message))
  );
}

/**
 * PostgreSQL with a pool of at least two connections: the lock's transaction holds one while knex
 * migrates on another (a pool of one would wait for itself).
 */
function canTakeTurns(knex: Knex): boolean {
  const { client, pool } = knex.client.config;
  return /^(pg|postgres)/.test(String(client ?? '')) && (pool?.max ?? 10) >= 2;
}

/** pg_advisory_xact_lock takes a bigint: the first 63 bits of a hash of what it guards. */
function advisoryKey(what: string): string {
  const hex = createHash('sha256').update(what).digest('hex');
  return (BigInt(`0x${hex.slice(0, 16)}`) >> 1n).toString();
}

/**
 * knex creates its lock table and inserts the lock row before it takes the lock. Two processes
 * doing that at once can both insert, and with two rows knex's "lock" (update the row that is
 * unlocked, expect one row changed) changes two and reports "already locked" for ever. A
 * database left like that by an earlier race gets its one row back; called only while no other
 * migrator of ours can be running (under the advisory lock).
 */
async function repairLockRows(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable(LOCK_TABLE))) return;
  const rows: Array<{ index: number; is_locked: number }> = await knex(
    LOCK_TABLE,
  )
    .select('index', 'is_locked')
    .orderBy('index');
  if (rows.length <= 1) return;
  await knex(LOCK_TABLE).whereNot('index', rows[0].index).delete();
  await knex(LOCK_TABLE).update({ is_locked: 0 });
}

/**
 * Runs the knex migrations in `directory`. On PostgreSQL every process migrating this
 * database's `knex_migrations` waits its turn on an advisory lock held by a transaction of its
 * own, so replicas starting at once never race on knex's bookkeeping; the later ones find
 * nothing left to do. The migrations themselves run on other connections of the pool, as knex
 * runs them. Elsewhere (SQLite: one process per file in practice; a pool of one connection) a
 * start that still met a race is retried after a pause.
 */
export async function runMigrations(
  knex: Knex,
  directory: string,
  options: { retryDelayMs?: number } = {},
): Promise<void> {
  if (canTakeTurns(knex)) {
    await knex.transaction(async trx => {
      const [{ name }] = (await trx.raw('SELECT current_database() AS name'))
        .rows;
      await trx.raw('SELECT pg_advisory_xact_lock(?::bigint)', [
        advisoryKey(`fabric-migrations:${name}:${MIGRATIONS_TABLE}`),
      ]);
      await repairLockRows(knex);
      await knex.migrate.latest({ directory });
    });
    return;
  }
  const delay = options.retryDelayMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      await knex.migrate.latest({ directory });
      return;
    } catch (error) {
      if (!isMigrationRace(error) || attempt >= LOCK_RETRIES) throw error;
      await new Promise(resolve => setTimeout(resolve, delay));
    }
  }
}

/**
 * The migration runner of a backend plugin whose knex migrations are in the `migrations`
 * folder of its package, e.g.
 * `export const applyMigrations = pluginMigrations('@internal/plugin-drift-backend');`
 * See runMigrations for how replicas starting at once are kept apart.
 */
export function pluginMigrations(
  packageName: string,
  options: { retryDelayMs?: number } = {},
): ApplyMigrations {
  const directory = resolvePackagePath(packageName, 'migrations');
  return async (knex, database) => {
    if (database?.migrations?.skip) {
      return;
    }
    await runMigrations(knex, directory, options);
  };
}
