import { DatabaseManager } from '@backstage/backend-defaults/database';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { signingKeysServiceRef } from '@internal/plugin-fabric-node';
import { Knex } from 'knex';
import { applyMigrations } from './database/migrations';
import { SigningKeyRegistry } from './service/SigningKeyRegistry';

/** The database the registry lives in, named like a plugin's (`signing-keys`). */
export const SIGNING_KEYS_PLUGIN_ID = 'signing-keys';

/**
 * The registry as a ROOT service: approvals, evidence and the signing-keys plugin's own router
 * share one instance, one connection pool and one set of rules. A plugin's database service
 * is that plugin's own database, so the registry opens its database itself through the same
 * DatabaseManager Backstage uses, for the plugin id `signing-keys` (config under
 * `backend.database`, per-plugin overrides under `backend.database.plugin.signing-keys`).
 * Without `backend.database` (test backends) it uses in-memory SQLite, as Backstage's own
 * database service does.
 */
export function createSigningKeysServiceFactory(
  options: {
    /** A database to use instead (tests on a TestDatabases knex). */
    knex?: Knex;
    now?: () => Date;
  } = {},
) {
  return createServiceFactory({
    service: signingKeysServiceRef,
    deps: {
      config: coreServices.rootConfig,
      rootLifecycle: coreServices.rootLifecycle,
      rootLogger: coreServices.rootLogger,
    },
    async factory({ config, rootLifecycle, rootLogger }) {
      let db = options.knex;
      if (!db) {
        const manager = DatabaseManager.fromConfig(
          config.getOptional('backend.database')
            ? config
            : new ConfigReader({
                backend: {
                  database: {
                    client: 'better-sqlite3',
                    connection: ':memory:',
                  },
                },
              }),
          { rootLifecycle, rootLogger },
        );
        const database = manager.forPlugin(SIGNING_KEYS_PLUGIN_ID, {
          lifecycle: rootLifecycle,
          logger: rootLogger.child({ plugin: SIGNING_KEYS_PLUGIN_ID }),
        });
        db = await database.getClient();
        await applyMigrations(db, database);
        return new SigningKeyRegistry({ db, now: options.now });
      }
      return openSigningKeyRegistry(db, options);
    },
  });
}

/** The registry over `db`, migrated (tests, and callers that bring their own database). */
export async function openSigningKeyRegistry(
  db: Knex,
  options: { now?: () => Date } = {},
): Promise<SigningKeyRegistry> {
  await applyMigrations(db);
  return new SigningKeyRegistry({ db, now: options.now });
}

/** Add to every backend that runs approvals or evidence (and the signing-keys plugin). */
export const signingKeysServiceFactory = createSigningKeysServiceFactory();
