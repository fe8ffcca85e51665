import { OAuth2 } from '@backstage/core-app-api';
import {
  ApiBlueprint,
  BackstageIdentityApi,
  configApiRef,
  createApiRef,
  discoveryApiRef,
  oauthRequestApiRef,
  OpenIdConnectApi,
  ProfileInfoApi,
  SessionApi,
} from '@backstage/frontend-plugin-api';

/**
 * Sign-in through the portal's OpenID Connect provider (`auth.providers.oidc` in the backend):
 * the development identity provider locally, the organisation's issuer in production.
 */
export const fabricAuthApiRef = createApiRef<
  OpenIdConnectApi & ProfileInfoApi & BackstageIdentityApi & SessionApi
>().with({ id: 'auth.fabric.oidc', pluginId: 'app' });

export const fabricAuthApi = ApiBlueprint.make({
  name: 'fabric-oidc',
  params: defineParams =>
    defineParams({
      api: fabricAuthApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        oauthRequestApi: oauthRequestApiRef,
        configApi: configApiRef,
      },
      factory: ({ discoveryApi, oauthRequestApi, configApi }) =>
        OAuth2.create({
          configApi,
          discoveryApi,
          oauthRequestApi,
          // Must match the backend provider id, i.e. /api/auth/oidc/*.
          provider: { id: 'oidc', title: 'Fabric ID', icon: () => null },
          environment: configApi.getOptionalString('auth.environment'),
          defaultScopes: ['openid', 'profile', 'email'],
        }),
    }),
});
