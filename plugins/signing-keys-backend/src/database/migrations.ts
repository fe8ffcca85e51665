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
 * Runs the registry's knex migrations unless the database service says skip. knex takes a lock
 * row; a replica that starts while another migrates gets "already locked" and waits its turn
 * instead of failing to start.
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
      const locked = /already locked/i.test(String((error as Error).message));
      if (!locked || attempt >= LOCK_RETRIES) throw error;
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
  }
}
