import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { createRedirectGuard } from './redirectGuard';

/**
 * Guards `redirectUrl` for every sign-in provider of the auth plugin (see redirectGuard.ts).
 *
 * A module's init runs before its plugin's, so this middleware is the first handler on the auth
 * plugin's router: it sees `/api/auth/<any provider>/start` and `/handler/frame` before the
 * provider does, whichever providers the backend loads now or later.
 */
export const authModuleFabricRedirectGuard = createBackendModule({
  pluginId: 'auth',
  moduleId: 'fabric-redirect-guard',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
      },
      async init({ config, httpRouter }) {
        httpRouter.use(
          createRedirectGuard({ appBaseUrl: config.getString('app.baseUrl') }),
        );
      },
    });
  },
});
