import { loadReachableCatalog } from '@internal/fabric-test-utils';
import { parseFabricEntity } from './parse';
import { checkZakonApproval } from './zakon';
import { ladderProblems, nextRung } from './ladder';
import {
  ALAI_ALERTING_TYPE,
  ALAI_DNS_CONSOLIDATION_TYPE,
  dnsConsolidationSchema,
  sentinelSchema,
} from './operations/alai';

// The repository's own catalog is the reference data set: every Fabric
// entity reachable from catalog/all.yaml must pass the schemas and every ZAKON
// rule the gate.
describe('the repository catalog', () => {
  const entities = loadReachableCatalog();

  it('contains every Fabric kind and fabric component type', () => {
    const kinds = new Set(entities.map(e => e.kind));
    expect([...kinds]).toEqual(
      expect.arrayContaining(['Plane', 'Tenant', 'ZakonRule', 'Component']),
    );
    const types = new Set(entities.map(e => e.spec?.type));
    expect([...types]).toEqual(expect.arrayContaining(['service', 'website']));
  });

  it.each(entities.map(e => [`${e.kind}:${e.metadata.name}`, e] as const))(
    '%s passes the Fabric schemas',
    (_ref, entity) => {
      const result = parseFabricEntity(entity);
      // Shows the readable problems when the entity is rejected.
      expect(
        result && !result.success ? result.message : undefined,
      ).toBeUndefined();
    },
  );

  it.each(
    entities
      .filter(e => e.kind === 'ZakonRule')
      .map(e => [e.metadata.name, e] as const),
  )('ZAKON rule %s passes the approval gate', (_name, entity) => {
    expect(checkZakonApproval(entity)).toEqual(
      expect.objectContaining({ approved: true }),
    );
  });

  it('holds consistent environment ladders', () => {
    expect(ladderProblems(entities)).toEqual([]);
    expect(nextRung(entities, 'local-parity')?.metadata.name).toBe('dev');
    expect(nextRung(entities, 'dev')?.metadata.name).toBe('prod');
    expect(nextRung(entities, 'samakia-staging')?.metadata.name).toBe(
      'samakia-prod',
    );
    expect(nextRung(entities, 'carbon-local')?.metadata.name).toBe(
      'carbon-dev',
    );
    expect(nextRung(entities, 'samakia-minio')).toBeUndefined();
  });

  it('puts the infra planes in their own Terraform environments', () => {
    const planes = entities.filter(e => e.kind === 'Plane');
    for (const name of ['dns', 'minio', 'shared']) {
      const plane = planes.find(p => p.metadata.name === name);
      expect(plane?.spec?.environment).toBe(`samakia-${name}`);
    }
  });

  it('holds every row of the ALAI migration table with its priority, downtime and dependency', () => {
    const rows = Object.fromEntries(
      entities
        .filter(e => e.spec?.type === 'website' && e.spec?.fabric)
        .map(e => {
          const fabric = (e.spec as any).fabric;
          return [
            fabric.domain ?? e.metadata.name,
            fabric.migration &&
              `${fabric.migration.priority ?? '-'} | ${
                fabric.migration.downtimeWindow
              } | ${fabric.migration.dependency}`,
          ];
        }),
    );
    // Seed 003, "Migration Plan": one line per domain (the four Azure VM apps share a row).
    expect(rows).toEqual({
      'alai.no': '- | None | None — already done',
      'basicconsulting.no': '1 | 0 (DNS already on CF) | Find repo',
      'basicfakta.no':
        '1 | < 5 min (NS change) | Find repo, change registrar NS',
      'snowit.ba': '2 | < 5 min | Move DNS from AWS Route53 to CF',
      'getdrop.no':
        '1 | 0 (DNS on Vercel, move to CF) | Static export of Next.js landing',
      'app.getdrop.no': '- | None | Dynamic Next.js app',
      'bilko-demo.alai.no':
        '2 | 0 (DNS already on CF) | CodeCraft confirms static export',
      'kenyhot.pro': '3 | < 5 min | Coordinate with client, DNS on Vercel',
      'merdzanovic.ba': '3 | < 5 min | Coordinate with client, third-party DNS',
      'bilko.io': '2 | N/A (currently down) | Fix one.com DNS, point to CF',
      'docs.alai.no': '- | None | Dynamic apps',
      'sign.basicconsulting.no': '- | None | Dynamic apps',
      'boards.basicconsulting.no': '- | None | Dynamic apps',
      'vault.basicconsulting.no': '- | None | Dynamic apps',
      'bilko-api': '- | None | Dynamic API services',
      'bilko-intesa-demo': '- | None | Dynamic API services',
    });
  });

  it('holds the DNS consolidation plan and the SENTINEL alert table in their schemas', () => {
    const resource = (type: string) =>
      entities.find(e => e.kind === 'Resource' && e.spec?.type === type);
    const dns = dnsConsolidationSchema.parse(
      resource(ALAI_DNS_CONSOLIDATION_TYPE)?.spec?.dnsConsolidation,
    );
    expect(dns.reportedState.reduce((n, r) => n + r.domains, 0)).toBe(10);
    const sentinel = sentinelSchema.parse(
      resource(ALAI_ALERTING_TYPE)?.spec?.sentinel,
    );
    expect(sentinel.uptimeCheck.sites).toHaveLength(13);
    expect(sentinel.alerts.map(a => a.metric)).toEqual([
      'Uptime (HTTP 200)',
      'Build failure',
      'SSL cert expiry',
      '5xx rate',
      'Traffic anomaly',
      'Bandwidth overage',
    ]);
    // Every checked site is in the catalog.
    const domains = new Set(
      entities
        .filter(e => e.spec?.type === 'website' && e.spec?.fabric)
        .map(e => (e.spec as any).fabric.domain),
    );
    expect(
      sentinel.uptimeCheck.sites.filter(u => !domains.has(new URL(u).hostname)),
    ).toEqual([]);
  });
});
