import { Entity } from '@backstage/catalog-model';
import { BuiltinKindsEntityProcessor } from '@backstage/plugin-catalog-backend';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { changedTenantOwners, tenantOwnerRefreshKey } from './tenantOwners';
import { TenantSideBuiltinKindsProcessor } from './tenantSideRelations';

const location = { type: 'file', target: 'catalog/test.yaml' };

/** A design document generated for project-orchard by the New runbook template. */
function runbook(labels?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'project-orchard-docs', namespace: 'default', labels },
    spec: {
      type: 'runbook',
      owner: 'group:default/team-orchard',
      dependencyOf: ['tenant:default/project-orchard', 'plane:default/dns'],
    },
  };
}

async function relationsOf(processor: { postProcessEntity: any }, e: Entity) {
  const emitted: CatalogProcessorResult[] = [];
  await processor.postProcessEntity(e, location, (r: CatalogProcessorResult) =>
    emitted.push(r),
  );
  return emitted
    .filter(r => r.type === 'relation')
    .map(r => {
      const { source, type, target } = (r as any).relation;
      const ref = (x: typeof source) =>
        `${x.kind.toLowerCase()}:${x.namespace}/${x.name}`;
      return `${ref(source)} ${type} ${ref(target)}`;
    })
    .sort();
}

describe('TenantSideBuiltinKindsProcessor', () => {
  const processor = new TenantSideBuiltinKindsProcessor();

  it('takes the place of the built-in kinds processor', () => {
    expect(processor.getProcessorName()).toBe(
      new BuiltinKindsEntityProcessor().getProcessorName(),
    );
  });

  it("keeps a tenant's runbook off the shared group and plane, and on its own tenant", async () => {
    expect(
      await relationsOf(
        processor,
        runbook({ 'fabric.samakia.io/tenant': 'project-orchard' }),
      ),
    ).toEqual([
      'resource:default/project-orchard-docs dependencyOf plane:default/dns',
      'resource:default/project-orchard-docs dependencyOf tenant:default/project-orchard',
      'resource:default/project-orchard-docs ownedBy group:default/team-orchard',
      // The tenant's own page lists its runbooks through this one.
      'tenant:default/project-orchard dependsOn resource:default/project-orchard-docs',
    ]);
  });

  it('leaves shared entities as the built-in processor relates them', async () => {
    const shared = runbook();
    expect(await relationsOf(processor, shared)).toEqual(
      await relationsOf(new BuiltinKindsEntityProcessor(), shared),
    );
    expect(await relationsOf(processor, shared)).toContain(
      'group:default/team-orchard ownerOf resource:default/project-orchard-docs',
    );
  });

  it("keeps an unlabelled runbook owned by a tenant's owner group on the tenant side too", async () => {
    const withTenants = new TenantSideBuiltinKindsProcessor(() => [
      {
        tenantRef: 'tenant:default/project-orchard',
        ownerRef: 'group:default/team-orchard',
      },
    ]);
    const relations = await relationsOf(withTenants, runbook());
    expect(relations).toEqual([
      'resource:default/project-orchard-docs dependencyOf plane:default/dns',
      'resource:default/project-orchard-docs dependencyOf tenant:default/project-orchard',
      'resource:default/project-orchard-docs ownedBy group:default/team-orchard',
      'tenant:default/project-orchard dependsOn resource:default/project-orchard-docs',
    ]);
  });
});

describe('refresh keys of owners', () => {
  const processor = new TenantSideBuiltinKindsProcessor();
  const keysOf = async (e: Entity) => {
    const emitted: CatalogProcessorResult[] = [];
    await processor.postProcessEntity(e, location, r => emitted.push(r));
    return emitted
      .filter(r => r.type === 'refresh')
      .map(r => (r as { key: string }).key);
  };

  it("gives every entity its owner's key, as the snapshot names the owner", async () => {
    expect(await keysOf(runbook())).toEqual([
      tenantOwnerRefreshKey('group:default/team-orchard'),
    ]);
    // A short, mixed-case owner is the same group, so the same key.
    const short = runbook();
    short.spec!.owner = 'Team-Orchard';
    expect(await keysOf(short)).toEqual([
      'fabric-tenant-owner:group:default/team-orchard',
    ]);
  });

  it('gives an entity without an owner no key, and any kind of entity one', async () => {
    const unowned = runbook();
    delete unowned.spec!.owner;
    expect(await keysOf(unowned)).toEqual([]);
    const plane: Entity = {
      apiVersion: 'fabric.samakia.io/v1alpha1',
      kind: 'Plane',
      metadata: { name: 'dns', namespace: 'default' },
      spec: { owner: 'group:default/platform-operators' },
    };
    expect(await keysOf(plane)).toEqual([
      'fabric-tenant-owner:group:default/platform-operators',
    ]);
  });
});

describe('changedTenantOwners', () => {
  const birds = {
    tenantRef: 'tenant:default/project-birds',
    ownerRef: 'group:default/team-birds',
  };
  const orchard = {
    tenantRef: 'tenant:default/project-orchard',
    ownerRef: 'group:default/team-orchard',
  };

  it('names the owner groups that gained, lost or changed a tenant', () => {
    expect(changedTenantOwners([], [birds, orchard])).toEqual([
      'group:default/team-birds',
      'group:default/team-orchard',
    ]);
    expect(changedTenantOwners([birds, orchard], [orchard, birds])).toEqual([]);
    // orchard moves to team-birds: both groups' entities change side
    expect(
      changedTenantOwners(
        [birds, orchard],
        [birds, { ...orchard, ownerRef: birds.ownerRef }],
      ),
    ).toEqual(['group:default/team-birds', 'group:default/team-orchard']);
    expect(changedTenantOwners([birds], [])).toEqual([
      'group:default/team-birds',
    ]);
  });
});
