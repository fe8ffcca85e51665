import { Entity } from '@backstage/catalog-model';
import { FabricParseResult, FabricProblem } from '../problems';

// Valid entities shaped like the repository catalog; tests copy one and break
// a single field so each assertion isolates one validation rule.

export function validNetworkPlane(): Entity {
  return {
    apiVersion: 'fabric.samakia.io/v1alpha1',
    kind: 'Plane',
    metadata: { name: 'dns' },
    spec: {
      type: 'network',
      owner: 'group:default/platform-operators',
      environment: 'samakia-prod',
      haTier: 'tier-1',
      failureDomains: ['proxmox1', 'proxmox2', 'proxmox3'],
      network: {
        sdnZone: 'zonedns',
        vnet: 'vlandns',
        vlan: 100,
        cidr: '10.10.100.0/24',
        gatewayVip: '10.10.100.1',
        lanCidr: '192.168.11.0/24',
        lanVips: [
          {
            name: 'dns',
            address: '192.168.11.100',
            ports: [
              { port: 53, protocol: 'udp' },
              { port: 53, protocol: 'tcp' },
            ],
          },
        ],
      },
    },
  };
}

export function validBusinessPlane(): Entity {
  return {
    apiVersion: 'fabric.samakia.io/v1alpha1',
    kind: 'Plane',
    metadata: { name: 'rtdl' },
    spec: {
      type: 'business',
      owner: 'group:default/platform-operators',
      environment: 'prod',
      servedBy: [
        'plane:observability-governance',
        'plane:run-operate-substrate',
      ],
    },
  };
}

export function validLayerPlane(): Entity {
  return {
    apiVersion: 'fabric.samakia.io/v1alpha1',
    kind: 'Plane',
    metadata: { name: 'data-services' },
    spec: {
      type: 'layer',
      owner: 'group:default/platform-operators',
      environment: 'dev',
      haTier: 'tier-2',
      failureDomains: ['local-a'],
      layer: { order: 3, kubernetesNamespaces: ['data-plane', 'storage'] },
    },
  };
}

export function validService(): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'minio',
      annotations: { 'fabric.samakia.io/plane': 'minio' },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/platform-operators',
      fabric: {
        plane: 'minio',
        environment: 'samakia-prod',
        haTier: 'tier-1',
        acceptance: 'make minio.accept',
        ports: [{ port: 9000, protocol: 'https' }],
        hosts: [
          {
            name: 'minio-edge-1',
            failureDomain: 'proxmox1',
            addresses: ['192.168.11.102', '10.10.140.2'],
            roleTags: ['golden-vN', 'plane-minio', 'env-infra', 'role-edge'],
          },
        ],
      },
    },
  };
}

export function validWebsite(): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'alai-basicconsulting-web' },
    spec: {
      type: 'website',
      lifecycle: 'production',
      owner: 'group:default/web-team',
      fabric: {
        domain: 'basicconsulting.no',
        hostingPlatform: 'cloudflare-pages',
        dnsProvider: 'cloudflare',
        framework: 'next',
        migrationStatus: 'migrated',
      },
    },
  };
}

export function validTenant(): Entity {
  return {
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
          ready: true,
          service: 'component:default/postgresql',
          plane: 'plane:default/data-services',
        },
        {
          provider: 'rabbitmq',
          variant: 'single',
          enabled: true,
          ready: false,
        },
        { provider: 'qdrant', variant: 'single', enabled: false },
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
        {
          workload: 'notifier',
          consumer: 'rabbitmq',
          environment: 'resource:default/samakia-dev',
          endpoint: 'rabbitmq-birds-dev.infra.samakia.net:5671',
        },
      ],
      executeAllowlist: [
        {
          environment: 'samakia-dev',
          provider: 'postgres',
          variant: 'cluster',
        },
        { environment: 'samakia-dev', provider: 'rabbitmq', variant: 'single' },
      ],
      drTestCases: ['restore-latest-backup'],
    },
  };
}

export function validActiveRule(): Entity {
  return {
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
      approvalMethod: 'board-deliberation',
      status: 'active',
      publishedSha256:
        'b17e7ce18fd570224a61d18cd89333336bf61e427fb86e3f2378b0bc124e794f',
      inScope: ['**/BUILD-BLUEPRINT.md', 'rules/zakon-*.md'],
      governs: ['component:default/minio'],
      escapeValve: { variable: 'BLUEPRINT_OVERRIDE' },
      enforcement: ['pre-tool-use-hook', 'registry-gate'],
    },
  };
}

export function validLegacyRule(): Entity {
  return {
    apiVersion: 'fabric.samakia.io/v1alpha1',
    kind: 'ZakonRule',
    metadata: { name: 'qa19-mapping' },
    spec: {
      id: 'qa19-mapping',
      owner: 'group:default/platform-operators',
      ruleFile: 'rules/zakon-qa19-mapping.md',
      approvalToken: 'GRANDFATHERED-PRE-2026-05-12',
      status: 'legacy-pre-registry',
      inScope: ['rules/zakon-qa19-mapping.md'],
      enforcement: ['registry-gate'],
    },
  };
}

/** Sets `value` at a dotted path (numeric segments index arrays); undefined deletes. */
export function withField(
  entity: Entity,
  path: string,
  value: unknown,
): Entity {
  const copy = structuredClone(entity) as any;
  const keys = path.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) {
    node = node[key];
  }
  const last = keys[keys.length - 1];
  if (value === undefined) {
    delete node[last];
  } else {
    node[last] = value;
  }
  return copy;
}

/** The problems of a failed parse; fails the test when the parse succeeded. */
export function problemsOf(
  result: FabricParseResult<unknown>,
): FabricProblem[] {
  if (result.success) {
    throw new Error('expected the entity to be rejected, but it was accepted');
  }
  return result.problems;
}
