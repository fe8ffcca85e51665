import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { loadRepoCatalog } from '@internal/fabric-test-utils';
import request from 'supertest';
import { fabricOpsPlugin } from './plugin';

// The HTTP edge of the impact query on the repository's catalog. Which tenants a caller may
// see is the catalog's decision (the plugin reads it with the caller's credentials); that is
// covered against the real catalog and permission policy in packages/backend
// (operationsImpact.test.ts).
describe('fabric-ops router', () => {
  async function start() {
    const { server } = await startTestBackend({
      features: [
        fabricOpsPlugin,
        catalogServiceMock.factory({ entities: loadRepoCatalog() }),
        mockServices.rootConfig.factory({ data: {} }),
        // A request without a token is anonymous, as with the real auth layer.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    return server;
  }

  const user = {
    Authorization: mockCredentials.user.header('user:default/olivia.operator'),
  };

  it('answers what losing proxmox1 costs', async () => {
    const res = await request(await start())
      .get('/api/fabric-ops/impact?failureDomain=proxmox1')
      .set(user);
    expect(res.status).toBe(200);
    expect(res.body.failureDomain).toBe('proxmox1');
    expect(res.body.hosts.map((h: { name: string }) => h.name)).toEqual([
      'dns-edge-1',
      'minio-1',
      'minio-edge-1',
    ]);
    expect(
      res.body.services.find(
        (s: { ref: string }) => s.ref === 'component:default/minio',
      ),
    ).toEqual(
      expect.objectContaining({
        verdict: 'degraded',
        quorum: expect.objectContaining({ kept: true, remaining: 2 }),
      }),
    );
  });

  it('lists the failure domains of the catalog', async () => {
    const res = await request(await start())
      .get('/api/fabric-ops/failure-domains')
      .set(user);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      'local-a',
      'proxmox1',
      'proxmox2',
      'proxmox3',
    ]);
  });

  it.each([
    ['', 'failureDomain: is missing'],
    [
      '?failureDomain=proxmox4',
      "'proxmox4' is not a failure domain of the catalog; use one of local-a, proxmox1, proxmox2, proxmox3",
    ],
    ['?failureDomain=../etc', 'failureDomain: is not a failure domain name'],
    ['?failureDomain=proxmox1&failureDomain=proxmox2', 'failureDomain'],
    ['?failureDomain[x]=proxmox1', 'failureDomain'],
    ['?failureDomain=proxmox1&verbose=1', 'verbose'],
  ])('refuses %j with a 400 naming the field', async (query, message) => {
    const res = await request(await start())
      .get(`/api/fabric-ops/impact${query}`)
      .set(user);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain(message);
  });

  it('refuses a caller without credentials', async () => {
    const res = await request(await start()).get(
      '/api/fabric-ops/impact?failureDomain=proxmox1',
    );
    expect(res.status).toBe(401);
  });
});
