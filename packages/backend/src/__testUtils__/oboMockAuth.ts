import {
  AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';

const SERVICE_TOKEN_PREFIX = 'mock-service-token:';

/**
 * The mock auth service, except that a plugin's on-behalf-of token keeps the
 * calling plugin as the user principal's `actor`, as the real auth service
 * does. The permission backend relies on that to tell a plugin asking for a
 * conditional decision apart from a user asking directly.
 */
export const oboMockAuthFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const mock = mockServices.auth({ pluginId: plugin.getId() });
    const auth: AuthService = {
      authenticate: async (token, options) => {
        if (token.startsWith(SERVICE_TOKEN_PREFIX)) {
          const { obo, target } = JSON.parse(
            token.slice(SERVICE_TOKEN_PREFIX.length),
          );
          if (obo && (!target || target === plugin.getId())) {
            return mockCredentials.user(obo, {
              actor: { subject: `plugin:${target ?? 'unknown'}` },
            }) as any;
          }
        }
        return mock.authenticate(token, options);
      },
      getNoneCredentials: () => mock.getNoneCredentials(),
      getOwnServiceCredentials: () => mock.getOwnServiceCredentials(),
      isPrincipal: mock.isPrincipal.bind(mock) as AuthService['isPrincipal'],
      getPluginRequestToken: options => mock.getPluginRequestToken(options),
      getLimitedUserToken: credentials => mock.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => mock.listPublicServiceKeys(),
    };
    return auth;
  },
});
