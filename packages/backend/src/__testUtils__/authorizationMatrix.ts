import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  BackendFeature,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import permissionBackend from '@backstage/plugin-permission-backend';
import { loadRepoCatalog, ownershipOf } from '@internal/fabric-test-utils';
import fabricPolicy from '@internal/plugin-permission-backend-module-fabric';
import signingKeysPlugin, {
  signingKeysServiceFactory,
} from '@internal/plugin-signing-keys-backend';
import { oboMockAuthFactory } from './oboMockAuth';
import { USERS } from '../__tests__/support/users';

/**
 * Shared set-up of the authorization matrices (the approvals, drift and evidence APIs tested
 * role by role against one test backend): the callers and the backend composition.
 */

export const ADMIN = 'user:default/ada.admin';
export const OLIVIA = `user:default/${USERS.operator}`;
export const OSCAR = `user:default/${USERS.approver}`;
export const BEA = `user:default/${USERS.tenantA}`;
export const OTTO = `user:default/${USERS.tenantB}`;

/** The callers of a matrix: birds is a member of team-birds, orchard of team-orchard. */
export type Who =
  | 'admin'
  | 'operator'
  | 'birds'
  | 'orchard'
  | 'service'
  | 'anonymous';

/** The request headers of each caller; the anonymous one sends no token. */
export const headerOf: Record<Who, Record<string, string>> = {
  admin: { Authorization: mockCredentials.user.header(ADMIN) },
  operator: { Authorization: mockCredentials.user.header(OLIVIA) },
  birds: { Authorization: mockCredentials.user.header(BEA) },
  orchard: { Authorization: mockCredentials.user.header(OTTO) },
  service: { Authorization: mockCredentials.service.header() },
  anonymous: {},
};

/** The body of a refused request. */
export const errorBody = expect.objectContaining({ error: expect.anything() });

/** A notification service that appends what is sent to `sent`. */
export function recordingNotifications(sent: NotificationSendOptions[]) {
  return createServiceFactory({
    service: notificationService,
    deps: {},
    factory: () => ({
      async send(options: NotificationSendOptions) {
        sent.push(options);
      },
    }),
  });
}

type ConfigData = NonNullable<
  NonNullable<Parameters<typeof mockServices.rootConfig.factory>[0]>['data']
>;

export interface MatrixBackendOptions {
  /** The plugin under test. */
  plugin: BackendFeature;
  /** What the Fabric policy grants the members of a tenant's owning group. */
  tenantPermissions: string[];
  /** Configuration besides `permission`, such as the plugin's own section. */
  config?: ConfigData;
  /** The catalog; the repository's catalog unless given. */
  entities?: ReturnType<typeof loadRepoCatalog>;
  /** Further features and service factories (a database, notifications). */
  features?: BackendFeature[];
}

/**
 * Starts `plugin` with the real permission backend, the Fabric policy module and the real HTTP
 * auth layer; only the identity layer is mocked (tokens name the user, see oboMockAuth.ts), and
 * users' groups come from the repository's catalog. Returns the HTTP server.
 */
export async function startMatrixBackend(options: MatrixBackendOptions) {
  const backend = await startTestBackend({
    features: [
      options.plugin,
      // The one signing-key registry approvals and evidence verify with, and its API.
      signingKeysServiceFactory,
      signingKeysPlugin,
      permissionBackend,
      fabricPolicy,
      permissionsServiceFactory,
      oboMockAuthFactory,
      // The real HTTP auth layer over the mock tokens: no token is anonymous.
      httpAuthServiceFactory,
      ...(options.features ?? []),
      catalogServiceMock.factory({
        entities: options.entities ?? loadRepoCatalog(),
      }),
      mockServices.userInfo.mock({
        async getUserInfo(credentials) {
          const ref = (credentials.principal as { userEntityRef: string })
            .userEntityRef;
          return {
            userEntityRef: ref,
            ownershipEntityRefs: ownershipOf(ref),
          };
        },
      }).factory,
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          permission: {
            enabled: true,
            fabric: {
              adminGroups: ['group:default/admins'],
              operatorGroups: ['group:default/platform-operators'],
              tenantPermissions: options.tenantPermissions,
            },
          },
        },
      }),
    ],
  });
  return backend.server;
}
