import { pluginMigrations } from '@internal/plugin-fabric-node';

/** Runs the plugin's knex migrations unless the database service says skip. */
export const applyMigrations = pluginMigrations(
  '@internal/plugin-evidence-backend',
);
