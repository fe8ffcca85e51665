import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { TenantOwnersSnapshot, tenantOwnerRefreshKey } from './tenantOwners';

// The snapshot's poll over a catalog of Tenants that the test changes: which refresh keys it asks
// for, and when. That those keys reprocess the right entities in a real catalog is shown by
// catalogIntegration.test.ts (it fails when the request is dropped).

function tenant(name: string, owner: string): Entity {
  return {
    apiVersion: 'fabric.samakia.io/v1alpha1',
    kind: 'Tenant',
    metadata: { name, namespace: 'default' },
    spec: { owner },
  };
}

function snapshotOver(tenants: Entity[]) {
  const asked: string[][] = [];
  const state = { tenants, connected: true };
  const catalog = {
    getEntities: async () => ({ items: state.tenants }),
  } as unknown as CatalogService;
  const snapshot = new TenantOwnersSnapshot({
    catalog,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    refreshByKeys: async keys => {
      if (!state.connected) return false;
      asked.push(keys);
      return true;
    },
  });
  return { snapshot, asked, state };
}

const key = tenantOwnerRefreshKey;

describe('TenantOwnersSnapshot', () => {
  const birds = tenant('project-birds', 'group:default/team-birds');
  const orchard = tenant('project-orchard', 'Team-Orchard');

  it('asks for the keys of new owner groups on two polls, then for nothing', async () => {
    const { snapshot, asked } = snapshotOver([birds, orchard]);
    await snapshot.poll();
    await snapshot.poll();
    await snapshot.poll();
    const keys = [
      key('group:default/team-birds'),
      key('group:default/team-orchard'),
    ];
    expect(asked).toEqual([keys, keys]);
    expect(snapshot.current().map(t => t.ownerRef)).toEqual([
      'group:default/team-birds',
      'group:default/team-orchard',
    ]);
  });

  it("asks for the old and the new owner's keys when a tenant changes hands", async () => {
    const { snapshot, asked, state } = snapshotOver([birds, orchard]);
    await snapshot.poll();
    await snapshot.poll();
    asked.length = 0;
    state.tenants = [tenant('project-birds', 'team-x'), orchard];
    await snapshot.poll();
    await snapshot.poll();
    await snapshot.poll();
    const keys = [key('group:default/team-birds'), key('group:default/team-x')];
    // Orchard's owner did not change: its entities are not reprocessed.
    expect(asked).toEqual([keys, keys]);
  });

  it('keeps asking until the catalog can take the request', async () => {
    const { snapshot, asked, state } = snapshotOver([birds]);
    state.connected = false;
    await snapshot.poll();
    await snapshot.poll();
    await snapshot.poll();
    expect(asked).toEqual([]);
    state.connected = true;
    await snapshot.poll();
    await snapshot.poll();
    await snapshot.poll();
    expect(asked).toEqual([
      [key('group:default/team-birds')],
      [key('group:default/team-birds')],
    ]);
  });

  it('asks for nothing when no tenant exists', async () => {
    const { snapshot, asked } = snapshotOver([]);
    await snapshot.poll();
    expect(asked).toEqual([]);
    expect(snapshot.current()).toEqual([]);
  });
});
