import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-fabric-query-backend',
  'migrations',
);

/** Runs the plugin's knex migrations unless the database service says skip. */
export async function applyMigrations(
  knex: Knex,
  database?: DatabaseService,
): Promise<void> {
  if (database?.migrations?.skip) {
    return;
  }
  await knex.migrate.latest({ directory: migrationsDir });
}
