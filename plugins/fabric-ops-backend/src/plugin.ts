import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { createRouter } from './router';
import { CatalogOperationsSource } from './service/OperationsCatalog';

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
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
      },
      async init({ auth, catalog, httpAuth, httpRouter, logger, permissions }) {
        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            catalog: new CatalogOperationsSource({
              catalog,
              auth,
              permissions,
            }),
          }),
        );
      },
    });
  },
});
