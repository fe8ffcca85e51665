import { pluginMigrations } from '@internal/plugin-fabric-node';

/**
 * Runs the read model's knex migrations unless the database service says skip; replicas
 * starting at once take turns (see pluginMigrations).
 */
export const applyMigrations = pluginMigrations(
  '@internal/plugin-fabric-query-backend',
);
