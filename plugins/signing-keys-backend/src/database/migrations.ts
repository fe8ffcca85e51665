import { pluginMigrations } from '@internal/plugin-fabric-node';

/**
 * Runs the registry's knex migrations unless the database service says skip; a start racing
 * another replica's is retried (see pluginMigrations).
 */
export const applyMigrations = pluginMigrations(
  '@internal/plugin-signing-keys-backend',
);
