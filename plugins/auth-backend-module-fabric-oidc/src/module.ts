import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  oidcAuthenticator,
  oidcSignInResolvers,
} from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  authProvidersExtensionPoint,
  createOAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { retryDiscoveryAfterFailure } from './retryingAuthenticator';

/**
 * The `oidc` sign-in provider (auth.providers.oidc), with issuer discovery retried after a
 * failure. Used instead of `@backstage/plugin-auth-backend-module-oidc-provider`'s module.
 */
export const authModuleFabricOidc = createBackendModule({
  pluginId: 'auth',
  moduleId: 'fabric-oidc',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        logger: coreServices.logger,
      },
      async init({ providers, logger }) {
        const authenticator = retryDiscoveryAfterFailure(
          oidcAuthenticator,
          (error, attempt) =>
            logger.warn(
              `OpenID Connect discovery failed (attempt ${attempt}); it is retried at the next sign-in: ${error}`,
            ),
        );
        providers.registerProvider({
          providerId: 'oidc',
          factory: createOAuthProviderFactory({
            authenticator,
            signInResolverFactories: { ...oidcSignInResolvers },
          }),
        });
      },
    });
  },
});
