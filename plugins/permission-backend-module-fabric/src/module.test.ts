import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import permissionBackend from '@backstage/plugin-permission-backend';
import { approvalsProposalApprovePermission } from '@internal/plugin-approvals-common';
import request from 'supertest';
import { permissionModuleFabricPolicy } from './module';
import { loadCatalogFile, ownershipOf } from '@internal/fabric-test-utils';

// The module wired into the real permission backend: /authorize answers with the policy.

const fabricConfig = {
  adminGroups: ['group:default/admins'],
  operatorGroups: ['group:default/platform-operators'],
  tenantPermissions: ['approvals.proposal.read'],
};

// Ownership as the catalog sign-in resolver would give it, from catalog/org.yaml.
const userInfoFromOrg = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      const name = ref.split('/')[1];
      return { userEntityRef: ref, ownershipEntityRefs: ownershipOf(name) };
    },
  }),
});

async function start(fabric: JsonObject) {
  return startTestBackend({
    features: [
      permissionBackend,
      permissionModuleFabricPolicy,
      userInfoFromOrg,
      catalogServiceMock.factory({ entities: loadCatalogFile('tenants.yaml') }),
      mockServices.rootConfig.factory({
        data: { permission: { enabled: true, fabric } },
      }),
    ],
  });
}

async function authorize(
  server: Awaited<ReturnType<typeof startTestBackend>>['server'],
  authorization: string,
) {
  const res = await request(server)
    .post('/api/permission/authorize')
    .set('Authorization', authorization)
    .send({
      items: [{ id: '1', permission: approvalsProposalApprovePermission }],
    });
  expect(res.status).toBe(200);
  return res.body.items[0].result;
}

describe('permissionModuleFabricPolicy', () => {
  it('answers /authorize with the Fabric policy', async () => {
    const backend = await start(fabricConfig);
    const { server } = backend;
    try {
      await expect(
        authorize(
          server,
          mockCredentials.user.header('user:default/olivia.operator'),
        ),
      ).resolves.toBe(AuthorizeResult.ALLOW);
      await expect(
        authorize(
          server,
          mockCredentials.user.header('user:default/bea.birds'),
        ),
      ).resolves.toBe(AuthorizeResult.DENY);
    } finally {
      await backend.stop();
    }
  });

  it('refuses to start on an invalid permission.fabric, naming the key', async () => {
    await expect(
      start({
        ...fabricConfig,
        operatorGroups: ['platform-operators', 'user:default/x'],
      }),
    ).rejects.toThrow(
      /permission\.fabric\.operatorGroups\[1\]: "user:default\/x" points at a user; it must name a Group/,
    );
  });
});
