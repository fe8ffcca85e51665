import fs from 'node:fs';
import path from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { parseAllDocuments } from 'yaml';
import { computeFailureImpact, listFailureDomains } from './impact';

// The seeds' own placement (seed 000, "MinIO HA Backend" and "DNS
// Infrastructure"): five MinIO containers and four DNS containers on
// proxmox1..3, the edges holding the LAN and VLAN gateway VIPs.
function service(
  name: string,
  planeName: string,
  hosts: Array<[string, string]>,
  extra: Record<string, unknown> = {},
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/platform-operators',
      fabric: {
        plane: planeName,
        environment: 'samakia-minio',
        acceptance: `make ${planeName}.accept`,
        hosts: hosts.map(([host, domain], i) => ({
          name: host,
          failureDomain: domain,
          addresses: [`10.10.1.${i + 2}`],
        })),
        ...extra,
      },
    },
  };
}

const VLANS: Record<string, number> = { dns: 100, minio: 140, shared: 120 };

function plane(name: string, gatewayVip: string, lanVip: string): Entity {
  return {
    apiVersion: 'fabric.samakia.io/v1alpha1',
    kind: 'Plane',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'network',
      owner: 'group:default/platform-operators',
      environment: 'samakia-prod',
      failureDomains: ['proxmox1', 'proxmox2', 'proxmox3'],
      network: {
        sdnZone: `z${name}`,
        vnet: `v${name}`,
        vlan: VLANS[name],
        cidr: `${gatewayVip.replace(/\.1$/, '.0')}/24`,
        gatewayVip,
        lanCidr: '192.168.11.0/24',
        lanVips: [{ name, address: lanVip, ports: [] }],
      },
    },
  };
}

function tenant(name: string, endpoint: string, serviceRef?: string): Entity {
  return {
    apiVersion: 'fabric.samakia.io/v1alpha1',
    kind: 'Tenant',
    metadata: { name, namespace: 'default' },
    spec: {
      owner: `group:default/team-${name}`,
      environments: ['samakia-prod'],
      consumers: [{ provider: 'postgres', variant: 'single', enabled: true }],
      quotas: {
        cpuCores: 1,
        memoryGiB: 1,
        storageGiB: 1,
        maxDatabases: 1,
        maxConnections: 10,
      },
      bindings: [
        {
          workload: 'api',
          consumer: 'postgres',
          environment: 'samakia-prod',
          endpoint,
          ...(serviceRef ? { service: serviceRef } : {}),
        },
      ],
    },
  };
}

const edges = (p: string) => ({
  vips: [
    {
      address: p === 'minio' ? '192.168.11.101' : '192.168.11.100',
      holders: [`${p}-edge-1`, `${p}-edge-2`],
    },
    {
      address: p === 'minio' ? '10.10.140.1' : '10.10.100.1',
      holders: [`${p}-edge-1`, `${p}-edge-2`],
    },
  ],
});

function seedPlacement(minioHosts?: Array<[string, string]>): Entity[] {
  return [
    plane('minio', '10.10.140.1', '192.168.11.101'),
    plane('dns', '10.10.100.1', '192.168.11.100'),
    plane('shared', '10.10.120.1', '192.168.11.120'),
    service(
      'minio',
      'minio',
      minioHosts ?? [
        ['minio-edge-1', 'proxmox1'],
        ['minio-edge-2', 'proxmox2'],
        ['minio-1', 'proxmox1'],
        ['minio-2', 'proxmox2'],
        ['minio-3', 'proxmox3'],
      ],
      {
        ...edges('minio'),
        quorum: { members: ['minio-1', 'minio-2', 'minio-3'], required: 2 },
      },
    ),
    service(
      'dns-edge',
      'dns',
      [
        ['dns-edge-1', 'proxmox1'],
        ['dns-edge-2', 'proxmox2'],
      ],
      edges('dns'),
      { 'fabric.samakia.io/dns-zone': 'infra.samakia.net' },
    ),
    service(
      'dns-auth',
      'dns',
      [
        ['dns-auth-1', 'proxmox3'],
        ['dns-auth-2', 'proxmox2'],
      ],
      {},
      { 'fabric.samakia.io/dns-zone': 'infra.samakia.net' },
    ),
    // The seeds give the shared services' VIPs but not where they run.
    service('vault', 'shared', []),
    tenant('birds', 'pg-birds.infra.samakia.net:5432'),
    tenant('elsewhere', 'pg.example.org:5432'),
  ];
}

const summary = (entities: Entity[], domain: string) => {
  const r = computeFailureImpact(entities, domain);
  return {
    hosts: r.hosts.map(h => h.name),
    services: Object.fromEntries(r.services.map(s => [s.ref, s.verdict])),
    quorum: r.services.find(s => s.quorum)?.quorum,
    vips: Object.fromEntries(
      r.vips.map(v => [v.address, [v.verdict, v.name, v.holdersRemaining]]),
    ),
    planes: Object.fromEntries(r.planes.map(p => [p.ref, p.verdict])),
    tenants: Object.fromEntries(r.tenants.map(t => [t.ref, t.verdict])),
  };
};

describe('computeFailureImpact on the seed placement', () => {
  it('losing proxmox1 takes minio-edge-1, minio-1 and dns-edge-1; MinIO keeps quorum and both VIP pairs move to the second edge', () => {
    expect(summary(seedPlacement(), 'proxmox1')).toEqual({
      hosts: ['dns-edge-1', 'minio-1', 'minio-edge-1'],
      services: {
        'component:default/dns-edge': 'degraded',
        'component:default/minio': 'degraded',
        'component:default/vault': 'unknown',
      },
      quorum: {
        members: ['minio-1', 'minio-2', 'minio-3'],
        required: 2,
        remaining: 2,
        kept: true,
      },
      vips: {
        '10.10.100.1': ['kept', 'gateway', ['dns-edge-2']],
        '10.10.140.1': ['kept', 'gateway', ['minio-edge-2']],
        '192.168.11.100': ['kept', 'dns', ['dns-edge-2']],
        '192.168.11.101': ['kept', 'minio', ['minio-edge-2']],
      },
      planes: {
        'plane:default/dns': 'degraded',
        'plane:default/minio': 'degraded',
        'plane:default/shared': 'unknown',
      },
      tenants: { 'tenant:default/birds': 'degraded' },
    });
  });

  it('losing proxmox2 takes one of everything on both planes, including dns-auth-2; MinIO keeps quorum', () => {
    expect(summary(seedPlacement(), 'proxmox2')).toEqual({
      hosts: ['dns-auth-2', 'dns-edge-2', 'minio-2', 'minio-edge-2'],
      services: {
        'component:default/dns-auth': 'degraded',
        'component:default/dns-edge': 'degraded',
        'component:default/minio': 'degraded',
        'component:default/vault': 'unknown',
      },
      quorum: expect.objectContaining({ remaining: 2, kept: true }),
      vips: {
        '10.10.100.1': ['kept', 'gateway', ['dns-edge-1']],
        '10.10.140.1': ['kept', 'gateway', ['minio-edge-1']],
        '192.168.11.100': ['kept', 'dns', ['dns-edge-1']],
        '192.168.11.101': ['kept', 'minio', ['minio-edge-1']],
      },
      planes: {
        'plane:default/dns': 'degraded',
        'plane:default/minio': 'degraded',
        'plane:default/shared': 'unknown',
      },
      tenants: { 'tenant:default/birds': 'degraded' },
    });
  });

  it('losing proxmox3 takes minio-3 and dns-auth-1 only; no VIP is touched', () => {
    expect(summary(seedPlacement(), 'proxmox3')).toEqual({
      hosts: ['dns-auth-1', 'minio-3'],
      services: {
        'component:default/dns-auth': 'degraded',
        'component:default/minio': 'degraded',
        'component:default/vault': 'unknown',
      },
      quorum: expect.objectContaining({ remaining: 2, kept: true }),
      vips: {},
      planes: {
        'plane:default/dns': 'degraded',
        'plane:default/minio': 'degraded',
        'plane:default/shared': 'unknown',
      },
      tenants: { 'tenant:default/birds': 'degraded' },
    });
  });

  it('flags lost quorum and lost VIPs when a careless placement puts two MinIO nodes and both edges on one host', () => {
    const r = computeFailureImpact(
      seedPlacement([
        ['minio-edge-1', 'proxmox1'],
        ['minio-edge-2', 'proxmox1'],
        ['minio-1', 'proxmox1'],
        ['minio-2', 'proxmox1'],
        ['minio-3', 'proxmox3'],
      ]),
      'proxmox1',
    );
    const minio = r.services.find(s => s.ref === 'component:default/minio')!;
    expect(minio.quorum).toEqual(
      expect.objectContaining({ remaining: 1, required: 2, kept: false }),
    );
    expect(minio.verdict).toBe('down');
    expect(minio.why).toContain('quorum lost');
    expect(
      r.vips.filter(v => v.plane === 'plane:default/minio').map(v => v.verdict),
    ).toEqual(['lost', 'lost']);
    expect(r.planes.find(p => p.ref === 'plane:default/minio')?.verdict).toBe(
      'down',
    );
  });

  it('says quorum-lost (not down) when the VIPs survive but two of three members are gone', () => {
    const r = computeFailureImpact(
      seedPlacement([
        ['minio-edge-1', 'proxmox1'],
        ['minio-edge-2', 'proxmox2'],
        ['minio-1', 'proxmox3'],
        ['minio-2', 'proxmox3'],
        ['minio-3', 'proxmox2'],
      ]),
      'proxmox3',
    );
    expect(r.services.find(s => s.ref === 'component:default/minio')).toEqual(
      expect.objectContaining({
        verdict: 'quorum-lost',
        hostsLost: ['minio-1', 'minio-2'],
      }),
    );
  });

  it('mentions only the tenants it is given, so a caller sees only tenants it may read', () => {
    const entities = seedPlacement().filter(
      e => !(e.kind === 'Tenant' && e.metadata.name === 'birds'),
    );
    expect(computeFailureImpact(entities, 'proxmox1').tenants).toEqual([]);
  });

  it('links a tenant through a consumed service, and matches zones on whole labels only', () => {
    const entities = [
      ...seedPlacement(),
      tenant('direct', 'pg.example.org:5432', 'component:default/minio'),
      // "notinfra.samakia.net" is not inside "infra.samakia.net".
      tenant('lookalike', 'pg.notinfra.samakia.net:5432'),
    ];
    const r = computeFailureImpact(entities, 'proxmox3');
    expect(r.tenants.map(t => [t.ref, t.via.map(v => v.service)])).toEqual([
      ['tenant:default/birds', ['component:default/dns-auth']],
      ['tenant:default/direct', ['component:default/minio']],
    ]);
  });

  it('answers an empty report for a domain nothing runs on', () => {
    const r = computeFailureImpact(seedPlacement(), 'proxmox9');
    expect([r.hosts, r.services, r.vips, r.planes, r.tenants]).toEqual([
      [],
      [],
      [],
      [],
      [],
    ]);
    expect(listFailureDomains(seedPlacement())).toEqual([
      'proxmox1',
      'proxmox2',
      'proxmox3',
    ]);
  });
});

describe('computeFailureImpact on the repository catalog', () => {
  const dir = path.resolve(__dirname, '../../../../catalog');
  const entities = fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.yaml'))
    .flatMap(f =>
      parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(
        d => d.toJS() as Entity,
      ),
    )
    .filter(Boolean)
    .map(e => ({
      ...e,
      metadata: { namespace: 'default', ...e.metadata },
    }));

  it.each([
    ['proxmox1', ['dns-edge-1', 'minio-1', 'minio-edge-1']],
    ['proxmox2', ['dns-auth-2', 'dns-edge-2', 'minio-2', 'minio-edge-2']],
    ['proxmox3', ['dns-auth-1', 'minio-3']],
  ])(
    'places the seed hosts of %s like the seed does and keeps MinIO quorum',
    (domain, hosts) => {
      const r = computeFailureImpact(entities, domain);
      expect(r.hosts.map(h => h.name)).toEqual(hosts);
      expect(
        r.services.find(s => s.ref === 'component:default/minio')?.quorum,
      ).toEqual(expect.objectContaining({ kept: true, remaining: 2 }));
      expect(r.vips.every(v => v.verdict === 'kept')).toBe(true);
    },
  );
});
