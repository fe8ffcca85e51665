import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { signingKeysPermissions } from '@internal/plugin-fabric-common';
import { signingKeysServiceRef } from '@internal/plugin-fabric-node';
import { createRouter } from './router';

/** The signing-key registry's HTTP API (`/api/signing-keys`), over the shared registry service. */
export const signingKeysPlugin = createBackendPlugin({
  pluginId: 'signing-keys',
  register(env) {
    env.registerInit({
      deps: {
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        registry: signingKeysServiceRef,
      },
      async init({
        httpAuth,
        httpRouter,
        logger,
        permissions,
        permissionsRegistry,
        registry,
      }) {
        permissionsRegistry.addPermissions(signingKeysPermissions);
        httpRouter.use(
          await createRouter({ logger, httpAuth, permissions, registry }),
        );
      },
    });
  },
});
