import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { TenantDirectory } from './tenants';
import { loadCatalogFile } from '@internal/fabric-test-utils';

function tenant(name: string, owner: string): Entity {
  return {
    apiVersion: 'fabric.samakia.io/v1alpha1',
    kind: 'Tenant',
    metadata: { name },
    spec: { owner },
  };
}

describe('TenantDirectory', () => {
  it('finds the tenants of the repository catalog by owner group', async () => {
    const directory = new TenantDirectory({
      catalog: catalogServiceMock({
        entities: loadCatalogFile('tenants.yaml'),
      }),
      auth: mockServices.auth(),
    });
    await expect(
      directory.tenantRefsOwnedBy([
        'user:default/bea.birds',
        'group:default/team-birds',
      ]),
    ).resolves.toEqual(['tenant:default/project-birds']);
    await expect(
      directory.tenantRefsOwnedBy(['GROUP:default/Team-Orchard']),
    ).resolves.toEqual(['tenant:default/project-orchard']);
    await expect(
      directory.tenantRefsOwnedBy(['group:default/platform-operators']),
    ).resolves.toEqual([]);
  });

  it('resolves a bare owner name as a group in the tenant namespace', async () => {
    const directory = new TenantDirectory({
      catalog: catalogServiceMock({
        entities: [
          {
            ...tenant('project-kite', 'team-kite'),
            metadata: { name: 'project-kite', namespace: 'labs' },
          },
        ],
      }),
      auth: mockServices.auth(),
    });
    await expect(
      directory.tenantRefsOwnedBy(['group:labs/team-kite']),
    ).resolves.toEqual(['tenant:labs/project-kite']);
    await expect(
      directory.tenantRefsOwnedBy(['group:default/team-kite']),
    ).resolves.toEqual([]);
  });

  it('reads the catalog with its own service credentials', async () => {
    const catalog = catalogServiceMock.mock({
      getEntities: jest.fn(async () => ({ items: [] })),
    });
    const directory = new TenantDirectory({
      catalog,
      auth: mockServices.auth(),
    });
    await directory.tenantRefsOwnedBy(['group:default/team-birds']);
    expect(catalog.getEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: { kind: 'Tenant' },
      }),
      {
        credentials: expect.objectContaining({
          principal: expect.objectContaining({
            type: 'service',
            subject: 'plugin:test',
          }),
        }),
      },
    );
  });

  it('caches the tenant list for the TTL, then sees a new tenant', async () => {
    const items = [tenant('project-birds', 'group:default/team-birds')];
    const catalog = catalogServiceMock.mock({
      getEntities: jest.fn(async () => ({ items: [...items] })),
    });
    let now = 1_000_000;
    const directory = new TenantDirectory({
      catalog,
      auth: mockServices.auth(),
      ttlMs: 10_000,
      now: () => now,
    });
    const claims = ['group:default/team-birds'];

    await expect(directory.tenantRefsOwnedBy(claims)).resolves.toEqual([
      'tenant:default/project-birds',
    ]);
    items.push(tenant('project-birds-2', 'group:default/team-birds'));
    now += 9_999;
    await expect(directory.tenantRefsOwnedBy(claims)).resolves.toEqual([
      'tenant:default/project-birds',
    ]);
    // Other claim sets share the cached list.
    await directory.tenantRefsOwnedBy(['group:default/team-orchard']);
    expect(catalog.getEntities).toHaveBeenCalledTimes(1);

    now += 1;
    await expect(directory.tenantRefsOwnedBy(claims)).resolves.toEqual([
      'tenant:default/project-birds',
      'tenant:default/project-birds-2',
    ]);
    expect(catalog.getEntities).toHaveBeenCalledTimes(2);
  });

  it('shares one in-flight lookup and does not cache a failure', async () => {
    const catalog = catalogServiceMock.mock({
      getEntities: jest
        .fn()
        .mockRejectedValueOnce(new Error('catalog down'))
        .mockResolvedValue({
          items: [tenant('project-birds', 'group:default/team-birds')],
        }),
    });
    const directory = new TenantDirectory({
      catalog,
      auth: mockServices.auth(),
    });
    const claims = ['group:default/team-birds'];

    const both = await Promise.allSettled([
      directory.tenantRefsOwnedBy(claims),
      directory.tenantRefsOwnedBy(claims),
    ]);
    expect(both.map(r => r.status)).toEqual(['rejected', 'rejected']);
    expect(catalog.getEntities).toHaveBeenCalledTimes(1);

    await expect(directory.tenantRefsOwnedBy(claims)).resolves.toEqual([
      'tenant:default/project-birds',
    ]);
    expect(catalog.getEntities).toHaveBeenCalledTimes(2);
  });
});
