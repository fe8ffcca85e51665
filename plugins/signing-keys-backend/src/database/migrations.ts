import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-signing-keys-backend',
  'migrations',
);

const LOCK_RETRIES = 30;

/**
 * Runs the registry's knex migrations unless the database service says skip. knex runs the
 * migrations under a lock row, but creates its own bookkeeping tables before it has the lock:
 * two replicas starting at once on a fresh PostgreSQL database race there ("already exists",
 * "duplicate key"), and one that starts while another migrates gets "already locked". Both are
 * retried after a pause (the retry finds the tables, or the migrations done) instead of
 * failing the start.
 */
export async function applyMigrations(
  knex: Knex,
  database?: DatabaseService,
): Promise<void> {
  if (database?.migrations?.skip) {
    return;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await knex.migrate.latest({ directory: migrationsDir });
      return;
    } catch (error) {
      const message = String((error as Error).message);
      const race =
        /already locked/i.test(message) ||
        (/knex_migrations/.test(message) &&
          /already exists|duplicate key/i.test(message));
      if (!race || attempt >= LOCK_RETRIES) throw error;
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
  }
}
