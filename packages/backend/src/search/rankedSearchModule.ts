import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { LunrSearchEngine } from '@backstage/plugin-search-backend-node';
import { searchEngineRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { PgSearchEngine } from '@backstage/plugin-search-backend-module-pg';
import { RankedSearchEngine } from './rankedSearchEngine';

/** Catalog entities first, then runbook sections, then anything else. */
export const SEARCH_TYPE_ORDER = ['software-catalog', 'techdocs'];

/**
 * The search engine: PostgreSQL's where the database is PostgreSQL, Lunr in memory otherwise
 * (what the search backend would pick), ranked by `RankedSearchEngine`.
 */
export const searchModuleRankedEngine = createBackendModule({
  pluginId: 'search',
  moduleId: 'fabric-ranked-engine',
  register(env) {
    env.registerInit({
      deps: {
        searchEngineRegistry: searchEngineRegistryExtensionPoint,
        database: coreServices.database,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ searchEngineRegistry, database, config, logger }) {
        const engine = (await PgSearchEngine.supported(database))
          ? await PgSearchEngine.fromConfig(config, { database, logger })
          : new LunrSearchEngine({ logger });
        searchEngineRegistry.setSearchEngine(
          new RankedSearchEngine(engine, SEARCH_TYPE_ORDER),
        );
      },
    });
  },
});
