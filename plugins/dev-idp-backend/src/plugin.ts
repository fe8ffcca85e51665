import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { readDevIdpConfig } from './config';
import { createRouter } from './router';
import { createDevIdp } from './service/createDevIdp';

/**
 * The development identity provider: a real OpenID Connect issuer at /api/dev-idp for the local
 * default profile. packages/backend does not add it when NODE_ENV=production.
 */
export const devIdpPlugin = createBackendPlugin({
  pluginId: 'dev-idp',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        discovery: coreServices.discovery,
      },
      async init({ config, logger, httpRouter, discovery }) {
        const devIdpConfig = readDevIdpConfig(config);
        // Derived from backend.baseUrl, so a backend on another port gets a matching issuer.
        const issuer = await discovery.getExternalBaseUrl('dev-idp');
        const redirectUri = `${await discovery.getExternalBaseUrl(
          'auth',
        )}/oidc/handler/frame`;
        const devIdp = createDevIdp({
          issuer,
          redirectUri,
          config: devIdpConfig,
          logger,
        });
        // Browsers reach these pages before anyone is signed in; the OIDC endpoints authenticate
        // their callers themselves (client secret, tokens).
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        httpRouter.use(await createRouter({ devIdp, logger }));
        logger.warn(
          `Development identity provider at ${issuer} with ${devIdpConfig.users.length} users (development only, never in production)`,
        );
      },
    });
  },
});
