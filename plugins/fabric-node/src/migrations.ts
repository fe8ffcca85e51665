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
 * The migration runner of a backend plugin whose knex migrations are in the `migrations`
 * folder of its package, e.g.
 * `export const applyMigrations = pluginMigrations('@internal/plugin-drift-backend');`
 *
 * knex runs the migrations under a lock row, but creates its own bookkeeping tables before it
 * has the lock: two replicas starting at once on a fresh PostgreSQL database race there
 * ("already exists", "duplicate key"), and one that starts while another migrates gets
 * "already locked". Both are retried after a pause (the retry finds the tables, or the
 * migrations done) instead of failing the start.
 */
export function pluginMigrations(
  packageName: string,
  options: { retryDelayMs?: number } = {},
): ApplyMigrations {
  const directory = resolvePackagePath(packageName, 'migrations');
  const delay = options.retryDelayMs ?? 1000;
  return async (knex, database) => {
    if (database?.migrations?.skip) {
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await knex.migrate.latest({ directory });
        return;
      } catch (error) {
        if (!isMigrationRace(error) || attempt >= LOCK_RETRIES) throw error;
        await new Promise(resolve => setTimeout(resolve, delay));
      }
    }
  };
}
