import { createHash } from 'node:crypto';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import { Config, ConfigReader } from '@backstage/config';
import { Client } from 'pg';

// Replicas starting at the same moment on one PostgreSQL would run each plugin's knex
// migrations concurrently. knex guards them with a lock row, but a replica that finds the row
// taken does not wait: its migration fails, the plugin fails to start and the process exits.
// So, on PostgreSQL, a replica holds a session advisory lock (keyed by the database prefix, so
// separate deployments on one server do not wait for each other) from before the first plugin
// touches its database until every plugin has started: replicas migrate one after the other,
// and a later one finds nothing left to do. If a replica dies while starting, its connection
// closes and the lock is released with it.

function lockKey(prefix: string): string {
  // pg_advisory_lock takes a bigint: the first 63 bits of a hash of the prefix.
  const hex = createHash('sha256')
    .update(`fabric-startup:${prefix}`)
    .digest('hex');
  return (BigInt(`0x${hex.slice(0, 16)}`) >> 1n).toString();
}

function connectionOf(config: Config) {
  const connection = config.getOptional<string | Record<string, unknown>>(
    'backend.database.connection',
  );
  if (typeof connection === 'string') return { connectionString: connection };
  const { database, ...rest } = (connection ?? {}) as Record<string, unknown>;
  // The server's maintenance database: the plugins' databases may not exist yet.
  return { ...rest, database: (database as string) ?? 'postgres' };
}

export const startupLockedDatabaseServiceFactory = createServiceFactory({
  service: coreServices.database,
  deps: {
    config: coreServices.rootConfig,
    lifecycle: coreServices.lifecycle,
    logger: coreServices.logger,
    pluginMetadata: coreServices.pluginMetadata,
    rootLifecycle: coreServices.rootLifecycle,
    rootLogger: coreServices.rootLogger,
  },
  async createRootContext({ config, rootLifecycle, rootLogger }) {
    if (!config.getOptional('backend.database')) {
      return DatabaseManager.fromConfig(
        new ConfigReader({
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
        }),
        { rootLifecycle, rootLogger },
      );
    }
    if (config.getOptionalString('backend.database.client') === 'pg') {
      const prefix =
        config.getOptionalString('backend.database.prefix') ??
        'backstage_plugin_';
      const client = new Client(connectionOf(config) as any);
      await client.connect();
      const key = lockKey(prefix);
      const free = await client.query(
        'SELECT pg_try_advisory_lock($1::bigint) AS ok',
        [key],
      );
      if (!free.rows[0].ok) {
        rootLogger.info(
          `Another replica is starting on the databases ${prefix}*; waiting for it before migrating`,
        );
        await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
      }
      const release = async () => {
        await client
          .query('SELECT pg_advisory_unlock($1::bigint)', [key])
          .catch(() => {});
        await client.end().catch(() => {});
      };
      rootLifecycle.addStartupHook(release);
      // A start that fails before the startup hooks run still lets the others go.
      rootLifecycle.addShutdownHook(release);
    }
    return DatabaseManager.fromConfig(config, { rootLifecycle, rootLogger });
  },
  async factory({ pluginMetadata, lifecycle, logger }, databaseManager) {
    return databaseManager.forPlugin(pluginMetadata.getId(), {
      lifecycle,
      logger,
    });
  },
});
