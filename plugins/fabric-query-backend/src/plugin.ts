import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { fabricPluginCoreDeps } from '@internal/plugin-fabric-node';
import { applyMigrations } from './database/migrations';
import { createRouter } from './router';
import { CatalogFeed } from './service/CatalogFeed';
import { QueryService } from './service/QueryService';
import { ReadModel } from './service/ReadModel';
import { ReadModelIndex } from './service/ReadModelIndex';

const DEFAULT_SYNC_INTERVAL_SECONDS = 3;
/** How often each replica checks the read model's version (one primary-key read). */
const INDEX_CHECK_SECONDS = 1;
/** An in-memory snapshot not confirmed for this long is not used (the tables answer). */
const INDEX_MAX_AGE_MS = 10_000;

/**
 * The domain query API: which plane owns a VLAN, which tenants consume a service, which rules
 * govern a site, what runs on a host, answered in milliseconds from a read model of the catalog
 * kept in this plugin's own tables, with the catalog's read permission.
 */
export const fabricQueryPlugin = createBackendPlugin({
  pluginId: 'fabric-query',
  register(env) {
    env.registerInit({
      deps: {
        ...fabricPluginCoreDeps,
        catalog: catalogServiceRef,
      },
      async init({
        auth,
        catalog,
        config,
        database,
        httpAuth,
        httpRouter,
        logger,
        permissions,
        scheduler,
      }) {
        if (config.getOptionalBoolean('fabricQuery.enabled') === false) {
          // No sync and no API: what the backend costs without the read model (yarn bench).
          logger.info(
            'The domain query API is off (fabricQuery.enabled: false)',
          );
          return;
        }
        const db = await database.getClient();
        await applyMigrations(db, database);
        const readModel = new ReadModel(db);
        const feed = new CatalogFeed({ catalog, auth, readModel, logger });
        const seconds =
          config.getOptionalNumber('fabricQuery.syncIntervalSeconds') ??
          DEFAULT_SYNC_INTERVAL_SECONDS;
        // One replica at a time syncs (global scope); every replica answers from the same
        // tables, so a change is visible on all of them as soon as one run has stored it.
        await scheduler.scheduleTask({
          id: 'fabric-query-read-model-sync',
          scope: 'global',
          frequency: { seconds },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 0 },
          fn: async () => {
            await feed.sync();
          },
        });
        // Every replica answers from its own in-memory copy of the tables, reloaded when the
        // version row moves: a change stored by the syncing replica is answered everywhere
        // within a second of being stored.
        const index = new ReadModelIndex(readModel, {
          maxAgeMs: INDEX_MAX_AGE_MS,
        });
        await scheduler.scheduleTask({
          id: 'fabric-query-read-model-index',
          scope: 'local',
          frequency: { seconds: INDEX_CHECK_SECONDS },
          timeout: { minutes: 1 },
          initialDelay: { seconds: 0 },
          fn: async () => {
            await index.refresh();
          },
        });
        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            queries: new QueryService({
              entities: index,
              permissions,
            }),
          }),
        );
      },
    });
  },
});
