import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { InputError } from '@backstage/errors';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { FabricEntitiesProcessor } from './FabricEntitiesProcessor';

const location = { type: 'file', target: 'catalog/test.yaml' };

const plane: Entity = {
  apiVersion: 'fabric.samakia.io/v1alpha1',
  kind: 'Plane',
  metadata: { name: 'rtdl' },
  spec: {
    type: 'business',
    owner: 'platform-operators',
    environment: 'prod',
    servedBy: ['plane:observability-governance', 'run-operate-substrate'],
  },
};

const service: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'dns-edge',
    annotations: { 'fabric.samakia.io/plane': 'dns' },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/platform-operators',
    fabric: {
      plane: 'dns',
      environment: 'samakia-prod',
      acceptance: 'make dns.accept',
    },
  },
};

const website: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'alai-home-web' },
  spec: {
    type: 'website',
    lifecycle: 'production',
    owner: 'group:default/web-team',
    fabric: {
      domain: 'alai.no',
      hostingPlatform: 'cloudflare-pages',
      dnsProvider: 'cloudflare',
      migrationStatus: 'migrated',
    },
  },
};

const tenant: Entity = {
  apiVersion: 'fabric.samakia.io/v1alpha1',
  kind: 'Tenant',
  metadata: { name: 'project-birds' },
  spec: {
    owner: 'group:default/team-birds',
    environments: ['samakia-dev', 'samakia-prod'],
    consumers: [
      {
        provider: 'postgres',
        variant: 'cluster',
        enabled: true,
        service: 'component:default/postgresql',
        plane: 'data-services',
      },
      {
        provider: 'qdrant',
        variant: 'single',
        enabled: false,
        service: 'component:default/qdrant',
      },
    ],
    quotas: {
      cpuCores: 8,
      memoryGiB: 32,
      storageGiB: 500,
      maxDatabases: 4,
      maxConnections: 200,
    },
    bindings: [
      {
        workload: 'api',
        consumer: 'postgres',
        environment: 'samakia-prod',
        endpoint: 'postgres-birds.infra.samakia.net:5432',
        service: 'component:default/postgresql',
      },
    ],
  },
};

const activeRule: Entity = {
  apiVersion: 'fabric.samakia.io/v1alpha1',
  kind: 'ZakonRule',
  metadata: { name: 'blueprint-enforcement' },
  spec: {
    id: 'blueprint-enforcement',
    owner: 'group:default/platform-operators',
    ruleFile: 'rules/zakon-blueprint-enforcement.md',
    trackingTask: 'MC-99911',
    approvalToken: '[CEO_APPROVED]',
    approvalDate: '2026-05-12',
    status: 'active',
    publishedSha256:
      'b17e7ce18fd570224a61d18cd89333336bf61e427fb86e3f2378b0bc124e794f',
    inScope: ['rules/zakon-*.md'],
    governs: ['zakonrule:default/qa19-mapping'],
    enforcement: ['registry-gate'],
  },
};

function withSpec(entity: Entity, patch: JsonObject): Entity {
  return { ...entity, spec: { ...entity.spec, ...patch } };
}

async function relationsOf(entity: Entity) {
  const emitted: CatalogProcessorResult[] = [];
  const result = await new FabricEntitiesProcessor().postProcessEntity(
    entity,
    location,
    r => emitted.push(r),
  );
  expect(result).toBe(entity);
  return emitted.map(r => {
    if (r.type !== 'relation') throw new Error(`unexpected ${r.type}`);
    const { source, type, target } = r.relation;
    const ref = (e: typeof source) =>
      `${e.kind.toLowerCase()}:${e.namespace}/${e.name}`;
    return `${ref(source)} ${type} ${ref(target)}`;
  });
}

describe('FabricEntitiesProcessor.validateEntityKind', () => {
  const processor = new FabricEntitiesProcessor();

  it('has a stable name', () => {
    expect(processor.getProcessorName()).toBe('FabricEntitiesProcessor');
  });

  it('claims valid Planes, Tenants and ZakonRules', async () => {
    await expect(processor.validateEntityKind(plane)).resolves.toBe(true);
    await expect(processor.validateEntityKind(tenant)).resolves.toBe(true);
    await expect(processor.validateEntityKind(activeRule)).resolves.toBe(true);
  });

  it('checks fabric components but leaves the kind to the built-in processor', async () => {
    await expect(processor.validateEntityKind(service)).resolves.toBe(false);
    await expect(processor.validateEntityKind(website)).resolves.toBe(false);
  });

  it('ignores other entities', async () => {
    await expect(
      processor.validateEntityKind({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'platform-operators' },
        spec: { type: 'team', children: [] },
      }),
    ).resolves.toBe(false);
  });

  it('throws InputError with the readable message for an invalid plane', async () => {
    const bad = withSpec(plane, { type: 'network' });
    await expect(processor.validateEntityKind(bad)).rejects.toThrow(InputError);
    await expect(processor.validateEntityKind(bad)).rejects.toThrow(
      'Plane plane:default/rtdl is invalid:\n' +
        '- spec.network: is missing; a network plane needs its network block (sdnZone, vnet, vlan, cidr, gatewayVip)\n' +
        '- spec.servedBy: only business planes list the planes that serve them; remove it or set spec.type: business (it is network)',
    );
  });

  it('throws for an invalid fabric block on a service', async () => {
    const bad = withSpec(service, {
      fabric: { plane: 'dns', environment: 'samakia-prod' },
    });
    await expect(processor.validateEntityKind(bad)).rejects.toThrow(
      'Component component:default/dns-edge is invalid:\n' +
        '- spec.fabric.acceptance: is missing; add it (expected a text value)',
    );
  });

  it('throws for an invalid tenant', async () => {
    const bad = withSpec(tenant, {
      executeAllowlist: [
        { environment: 'samakia-dev', provider: 'rabbitmq', variant: 'single' },
      ],
    });
    await expect(processor.validateEntityKind(bad)).rejects.toThrow(
      "- spec.executeAllowlist[0].provider: 'rabbitmq' is not one of this tenant's consumers (postgres, qdrant); list only providers the tenant consumes",
    );
  });

  it('blocks an active ZakonRule without its approval token, naming the rule and the fix', async () => {
    const bad = withSpec(activeRule, { approvalToken: undefined });
    await expect(processor.validateEntityKind(bad)).rejects.toThrow(InputError);
    await expect(processor.validateEntityKind(bad)).rejects.toThrow(
      'ZakonRule zakonrule:default/blueprint-enforcement is blocked by the ZAKON approval gate (fail closed) and is not ingested until fixed:\n' +
        "- spec.approvalToken: status active needs the approval token [CEO_APPROVED] (it is missing); get the CEO approval on the rule's tracking task and record the token exactly as [CEO_APPROVED]",
    );
  });

  it('blocks a ZakonRule whose spec does not parse', async () => {
    const bad = withSpec(activeRule, { status: 'live' });
    await expect(processor.validateEntityKind(bad)).rejects.toThrow(
      '- spec.status: "live" is not a ZAKON status; use one of: legacy-pre-registry, approved-pending-author, approved-live, active',
    );
  });

  it('rejects unknown kinds in the Fabric API group', async () => {
    await expect(
      processor.validateEntityKind({ ...plane, kind: 'Planes' }),
    ).rejects.toThrow(
      'kind Planes is not part of fabric.samakia.io/v1alpha1; use one of Plane, Tenant, ZakonRule',
    );
  });
});

describe('FabricEntitiesProcessor.postProcessEntity', () => {
  it('relates a business plane to its owner, environment and serving planes', async () => {
    expect(await relationsOf(plane)).toEqual([
      'plane:default/rtdl ownedBy group:default/platform-operators',
      'group:default/platform-operators ownerOf plane:default/rtdl',
      'plane:default/rtdl deployedTo resource:default/prod',
      'resource:default/prod deploymentOf plane:default/rtdl',
      'plane:default/rtdl dependsOn plane:default/observability-governance',
      'plane:default/observability-governance dependencyOf plane:default/rtdl',
      'plane:default/rtdl dependsOn plane:default/run-operate-substrate',
      'plane:default/run-operate-substrate dependencyOf plane:default/rtdl',
    ]);
  });

  it('resolves bare names in the entity namespace', async () => {
    const namespaced = {
      ...plane,
      metadata: { name: 'rtdl', namespace: 'lab' },
    };
    expect(await relationsOf(namespaced)).toContain(
      'plane:lab/rtdl deployedTo resource:lab/prod',
    );
  });

  it('puts a service in its plane and environment', async () => {
    expect(await relationsOf(service)).toEqual([
      'component:default/dns-edge deployedTo resource:default/samakia-prod',
      'resource:default/samakia-prod deploymentOf component:default/dns-edge',
      'component:default/dns-edge partOf plane:default/dns',
      'plane:default/dns hasPart component:default/dns-edge',
    ]);
  });

  it('relates a tenant to owner, environments and enabled consumers only, once each, on its own side only', async () => {
    // No reverse relation (ownerOf, deploymentOf, dependencyOf) on the shared group, environments,
    // service and plane: those are read by every tenant and would name this one.
    expect(await relationsOf(tenant)).toEqual([
      'tenant:default/project-birds ownedBy group:default/team-birds',
      'tenant:default/project-birds deployedTo resource:default/samakia-dev',
      'tenant:default/project-birds deployedTo resource:default/samakia-prod',
      'tenant:default/project-birds dependsOn component:default/postgresql',
      'tenant:default/project-birds dependsOn plane:default/data-services',
    ]);
  });

  it('relates a rule to its owner and the entities it governs', async () => {
    expect(await relationsOf(activeRule)).toEqual([
      'zakonrule:default/blueprint-enforcement ownedBy group:default/platform-operators',
      'group:default/platform-operators ownerOf zakonrule:default/blueprint-enforcement',
      'zakonrule:default/blueprint-enforcement governs zakonrule:default/qa19-mapping',
      'zakonrule:default/qa19-mapping governedBy zakonrule:default/blueprint-enforcement',
    ]);
  });

  it('adds nothing for websites and plain entities', async () => {
    expect(await relationsOf(website)).toEqual([]);
    expect(
      await relationsOf({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'g' },
        spec: { type: 'team', children: [] },
      }),
    ).toEqual([]);
  });
});

describe('FabricEntitiesProcessor environment rungs', () => {
  const processor = new FabricEntitiesProcessor();
  const rung = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'dev', namespace: 'default' },
    spec: {
      type: 'environment',
      owner: 'group:default/platform-operators',
      lifecycle: 'production',
      ladder: 'run-operate',
      rung: 1,
      next: 'prod',
      parity: {
        mustMatch: [
          'schemas',
          'envelope-pins',
          'dedupe-keys',
          'manifest-receipt-layouts',
          'registry-scope-rules',
        ],
        mayDiffer: ['capacity-scale'],
      },
    },
  };

  it('leaves a valid rung to the built-in Resource processor', async () => {
    await expect(processor.validateEntityKind(rung)).resolves.toBe(false);
  });

  it('refuses a rung that breaks the parity contract, naming the field', async () => {
    const broken = {
      ...rung,
      spec: {
        ...rung.spec,
        parity: { ...rung.spec.parity, mustMatch: ['schemas'] },
      },
    };
    await expect(processor.validateEntityKind(broken)).rejects.toThrow(
      /spec\.parity\.mustMatch: misses 'envelope-pins'/,
    );
  });
});
