// Generates the two catalogs the ingestion benchmark registers, as catalog-info files behind
// one Location file each:
//  - "fabric": our kinds with the relations of catalog/*.yaml: network, business and layer
//    Planes, fabric services (Components with spec.fabric) on those planes with hosts, ports
//    and role tags, Tenants consuming those services and planes with quotas and bindings, and
//    approved ZAKON rules governing services. Every entity is checked with the same parser and
//    approval gate the catalog processor uses before it is written.
//  - "plain": the same number of plain `Component`s (no fabric block), each owned by a group
//    and depending on another one, so both catalogs carry relations.
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { requireRepo } from './common.mts';

const { parseFabricEntity, checkZakonApproval } = requireRepo<
  typeof import('../../plugins/fabric-common/src/index')
>('plugins/fabric-common/src/index.ts');

type Entity = {
  apiVersion: string;
  kind: string;
  metadata: Record<string, any> & { name: string; namespace: string };
  spec: Record<string, any>;
};

export const FABRIC_NAMESPACE = 'bench-fabric';
export const PLAIN_NAMESPACE = 'bench-plain';

const OPERATORS = 'group:default/platform-operators';
const TEAMS = [
  'group:default/team-birds',
  'group:default/team-orchard',
  'group:default/team-harbor',
];
const ENVIRONMENTS = [
  'resource:default/samakia-dev',
  'resource:default/samakia-staging',
  'resource:default/samakia-prod',
];
const FAILURE_DOMAINS = ['proxmox1', 'proxmox2', 'proxmox3'];
const PROVIDERS = ['postgres', 'mariadb', 'rabbitmq', 'dragonfly', 'qdrant'];
const PROVIDER_PORTS: Record<string, number> = {
  postgres: 5432,
  mariadb: 3306,
  rabbitmq: 5671,
  dragonfly: 6379,
  qdrant: 6334,
};
const SHA = (i: number) => i.toString(16).padStart(8, '0').repeat(8);

/** Splits `total` by weights into whole counts that add up to `total`. */
function split(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map(w => Math.floor((total * w) / sum));
  counts[0] += total - counts.reduce((a, b) => a + b, 0);
  return counts;
}

const pad = (i: number) => String(i).padStart(5, '0');

export function fabricEntities(total: number): Entity[] {
  const [planeCount, serviceCount, tenantCount, ruleCount] = split(
    total,
    [2, 60, 30, 8],
  );
  const ns = FABRIC_NAMESPACE;
  const entities: Entity[] = [];

  // Planes: mostly network planes (one VLAN and /24 each), a few layers and business planes
  // served by network planes.
  const planes: string[] = [];
  const networkPlanes: Array<{ name: string; third: number; second: number }> =
    [];
  for (let i = 0; i < planeCount; i++) {
    const name = `plane-${pad(i)}`;
    planes.push(name);
    const kind = i % 10;
    const base = {
      apiVersion: 'fabric.samakia.io/v1alpha1',
      kind: 'Plane',
      metadata: {
        name,
        namespace: ns,
        title: `Bench plane ${i}`,
        description: `Generated plane ${i} of the ingestion benchmark.`,
        tags: ['bench', kind < 7 ? 'network' : kind < 9 ? 'layer' : 'business'],
      },
    };
    if (kind < 7 || i < 2) {
      const vlan = 100 + (i % 3900);
      const second = 20 + Math.floor(i / 250);
      const third = i % 250;
      networkPlanes.push({ name, second, third });
      entities.push({
        ...base,
        spec: {
          type: 'network',
          owner: OPERATORS,
          environment: ENVIRONMENTS[i % 3],
          haTier: i % 2 ? 'tier-1' : 'tier-2',
          failureDomains: FAILURE_DOMAINS,
          network: {
            sdnZone: `z${i}`,
            vnet: `vnet${i}`,
            vlan,
            cidr: `10.${second}.${third}.0/24`,
            gatewayVip: `10.${second}.${third}.1`,
            lanCidr: '192.168.0.0/16',
            lanVips: [
              {
                name: `vip-${i}`,
                address: `192.168.${Math.floor(i / 250) + 20}.${(i % 250) + 1}`,
                ports: [
                  { port: 443, protocol: 'https' },
                  { port: 53, protocol: 'udp' },
                ],
              },
            ],
          },
        },
      });
    } else if (kind < 9) {
      entities.push({
        ...base,
        spec: {
          type: 'layer',
          owner: OPERATORS,
          environment: ENVIRONMENTS[i % 3],
          haTier: 'tier-2',
          failureDomains: ['local-a'],
          layer: {
            order: (i % 5) + 1,
            kubernetesNamespaces: [`layer-${i}`, `layer-${i}-system`],
          },
        },
      });
    } else {
      entities.push({
        ...base,
        spec: {
          type: 'business',
          owner: OPERATORS,
          environment: ENVIRONMENTS[2],
          servedBy: [
            `plane:${ns}/${networkPlanes[i % networkPlanes.length].name}`,
            `plane:${ns}/${networkPlanes[(i + 1) % networkPlanes.length].name}`,
          ],
        },
      });
    }
  }

  // Services on network planes, 1-3 hosts each with addresses inside the plane's CIDR.
  const services: string[] = [];
  for (let i = 0; i < serviceCount; i++) {
    const plane = networkPlanes[i % networkPlanes.length];
    const name = `svc-${pad(i)}`;
    services.push(name);
    const hostCount = (i % 3) + 1;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: ns,
        title: `Bench service ${i}`,
        description: `Generated service ${i} on ${plane.name}.`,
        tags: ['bench', PROVIDERS[i % PROVIDERS.length]],
        annotations: {
          'fabric.samakia.io/plane': plane.name,
        },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: OPERATORS,
        ...(i > 0 ? { dependsOn: [`component:${ns}/svc-${pad(i - 1)}`] } : {}),
        fabric: {
          plane: plane.name,
          environment: ENVIRONMENTS[i % 3],
          haTier: hostCount > 1 ? 'tier-1' : 'tier-2',
          acceptance: `make ${name}.accept`,
          ports: [
            { port: 8000 + (i % 1000), protocol: 'https' },
            { port: 9100, protocol: 'tcp' },
          ],
          hosts: Array.from({ length: hostCount }, (_, h) => ({
            name: `${name}-${h + 1}`,
            failureDomain: FAILURE_DOMAINS[h % 3],
            addresses: [
              `10.${plane.second}.${plane.third}.${
                ((Math.floor(i / networkPlanes.length) * 3 + h) % 250) + 2
              }`,
            ],
            roleTags: [
              'golden-vN',
              `plane-${plane.name}`,
              'env-infra',
              `role-${h === 0 ? 'primary' : 'replica'}`,
            ],
          })),
        },
      },
    });
  }

  // Tenants: two or three consumers, the first one backed by a catalogued service and its plane.
  for (let i = 0; i < tenantCount; i++) {
    const name = `tenant-${pad(i)}`;
    const service = services[(i * 7) % services.length];
    const servicePlane =
      networkPlanes[((i * 7) % services.length) % networkPlanes.length].name;
    const providers = [
      PROVIDERS[i % 5],
      PROVIDERS[(i + 1) % 5],
      ...(i % 2 ? [PROVIDERS[(i + 2) % 5]] : []),
    ];
    const environments = i % 3 === 0 ? ENVIRONMENTS : ENVIRONMENTS.slice(0, 2);
    entities.push({
      apiVersion: 'fabric.samakia.io/v1alpha1',
      kind: 'Tenant',
      metadata: {
        name,
        namespace: ns,
        title: `Bench tenant ${i}`,
        description: `Generated tenant ${i}.`,
        tags: ['bench', 'tenant', ...providers],
      },
      spec: {
        owner: TEAMS[i % TEAMS.length],
        environments,
        consumers: providers.map((provider, c) => ({
          provider,
          variant: c === 0 ? 'cluster' : 'single',
          enabled: c < 2,
          ready: c === 0,
          ...(c === 0
            ? {
                service: `component:${ns}/${service}`,
                plane: `plane:${ns}/${servicePlane}`,
              }
            : {}),
        })),
        quotas: {
          cpuCores: 2 + (i % 14),
          memoryGiB: 8 + (i % 56),
          storageGiB: 100 + (i % 900),
          maxDatabases: 1 + (i % 8),
          maxConnections: 50 + (i % 400),
        },
        bindings: [
          {
            workload: 'api',
            consumer: providers[0],
            environment: environments[0],
            endpoint: `${providers[0]}-${name}.infra.samakia.net:${
              PROVIDER_PORTS[providers[0]]
            }`,
            service: `component:${ns}/${service}`,
          },
          {
            workload: 'worker',
            consumer: providers[1],
            environment: environments[1],
            endpoint: `${providers[1]}-${name}.infra.samakia.net:${
              PROVIDER_PORTS[providers[1]]
            }`,
          },
        ],
        executeAllowlist: [
          {
            environment: environments[0],
            provider: providers[0],
            variant: 'cluster',
          },
        ],
        drTestCases: ['restore-latest-backup', 'primary-failover'],
      },
    });
  }

  // ZAKON rules: approved ones in every status the gate accepts, governing services.
  for (let i = 0; i < ruleCount; i++) {
    const name = `bench-rule-${pad(i)}`;
    const status = ['active', 'approved-pending-author', 'legacy-pre-registry'][
      i % 3
    ];
    const approved = status !== 'legacy-pre-registry';
    entities.push({
      apiVersion: 'fabric.samakia.io/v1alpha1',
      kind: 'ZakonRule',
      metadata: {
        name,
        namespace: ns,
        title: `ZAKON: bench rule ${i}`,
        description: `Generated ZAKON rule ${i}.`,
        tags: ['zakon', 'bench'],
      },
      spec: {
        id: name,
        owner: OPERATORS,
        ruleFile: `rules/zakon-${name}.md`,
        ...(approved
          ? {
              trackingTask: `MC-${100000 + i}`,
              approvalToken: '[CEO_APPROVED]',
              approvalDate: '2026-05-12',
              approvalMethod: 'board-deliberation',
            }
          : { approvalToken: 'GRANDFATHERED-PRE-2026-05-12' }),
        status,
        ...(status === 'active' ? { publishedSha256: SHA(i) } : {}),
        inScope: [`**/BUILD-BLUEPRINT-${i}.md`, `rules/zakon-${name}.md`],
        governs: [
          `component:${ns}/${services[i % services.length]}`,
          `component:${ns}/${services[(i * 13 + 5) % services.length]}`,
        ],
        escapeValve: { variable: `ZAKON_BENCH_RULE_${i}_OVERRIDE` },
        enforcement: ['registry-gate', 'pre-tool-use-hook'],
      },
    });
  }
  return entities;
}

export function plainEntities(total: number): Entity[] {
  const ns = PLAIN_NAMESPACE;
  return Array.from({ length: total }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `plain-${pad(i)}`,
      namespace: ns,
      title: `Plain component ${i}`,
      description: `Generated plain component ${i} of the ingestion benchmark.`,
      tags: ['bench', 'plain'],
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: OPERATORS,
      ...(i > 0 ? { dependsOn: [`component:${ns}/plain-${pad(i - 1)}`] } : {}),
    },
  }));
}

/** Same checks as the catalog processor: schema of our kinds and the ZAKON approval gate. */
export function checkFabricEntities(entities: Entity[]): string[] {
  const problems: string[] = [];
  for (const entity of entities) {
    const ref = `${entity.kind}:${entity.metadata.namespace}/${entity.metadata.name}`;
    if (entity.kind === 'ZakonRule') {
      const gate = checkZakonApproval(entity);
      if (!gate.approved)
        problems.push(`${ref}: ${JSON.stringify(gate.problems)}`);
      continue;
    }
    const parsed = parseFabricEntity(entity);
    if (parsed && !parsed.success) problems.push(`${ref}: ${parsed.message}`);
  }
  return problems;
}

/**
 * Writes entities as catalog-info files of `perFile` documents and one Location file that
 * targets them; returns the Location file to register.
 */
export function writeCatalog(
  dir: string,
  name: string,
  namespace: string,
  entities: Entity[],
  perFile = 500,
): string {
  fs.mkdirSync(dir, { recursive: true });
  const targets: string[] = [];
  for (let f = 0; f * perFile < entities.length; f++) {
    const file = `entities-${String(f).padStart(3, '0')}.yaml`;
    const docs = entities
      .slice(f * perFile, (f + 1) * perFile)
      .map(e => stringify(e))
      .join('---\n');
    fs.writeFileSync(path.join(dir, file), docs);
    targets.push(`./${file}`);
  }
  const location = path.join(dir, 'catalog-info.yaml');
  fs.writeFileSync(
    location,
    stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Location',
      metadata: { name, namespace },
      spec: { targets },
    }),
  );
  return location;
}
