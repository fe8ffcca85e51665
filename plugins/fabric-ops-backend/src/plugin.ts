import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readFabricOpsConfig } from './config';
import { createRouter } from './router';
import { HealthService } from './service/HealthService';
import { CatalogOperationsSource } from './service/OperationsCatalog';
import { HttpSiblingReader } from './service/SiblingPlugins';

/**
 * The operations backend: answers "what breaks if this failure domain goes
 * down" for the portal's pages and for CI. It only reads the catalog, with
 * the caller's credentials, and changes nothing.
 */
export const fabricOpsPlugin = createBackendPlugin({
  pluginId: 'fabric-ops',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
      },
      async init({
        auth,
        catalog,
        config,
        discovery,
        httpAuth,
        httpRouter,
        logger,
        permissions,
      }) {
        const { staleAfterMs } = readFabricOpsConfig(config);
        const source = new CatalogOperationsSource({
          catalog,
          auth,
          permissions,
        });
        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            catalog: source,
            health: new HealthService({
              catalog: source,
              siblings: new HttpSiblingReader({ auth, discovery }),
              auth,
              permissions,
              staleAfterMs,
              now: () => new Date(),
            }),
          }),
        );
      },
    });
  },
});
