import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { AlaiHostingPage } from './AlaiHostingPage';

jest.setTimeout(30_000);

const site = (
  name: string,
  fabric: NonNullable<Entity['spec']>,
  task?: string,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    ...(task
      ? { annotations: { 'fabric.samakia.io/tracking-task': task } }
      : {}),
  },
  spec: { type: 'website', fabric },
});

const sites = [
  site(
    'client-kenyhot-web',
    {
      domain: 'kenyhot.pro',
      hostingPlatform: 'vercel',
      dnsProvider: 'vercel',
      migrationStatus: 'blocked',
      migration: {
        from: 'Vercel',
        to: 'Cloudflare Pages',
        priority: 3,
        downtimeWindow: '< 5 min',
        dependency: 'Coordinate with client, DNS on Vercel',
      },
    },
    'MC-8487',
  ),
  site('bilko-api', {
    hostingPlatform: 'other',
    migrationStatus: 'not-applicable',
    migration: {
      from: 'GCP Cloud Run',
      to: 'GCP Cloud Run (stay)',
      downtimeWindow: 'None',
      dependency: 'Dynamic API services',
    },
  }),
  site(
    'alai-basicconsulting-web',
    {
      domain: 'basicconsulting.no',
      hostingPlatform: 'cloudflare-pages',
      dnsProvider: 'cloudflare',
      migrationStatus: 'migrated',
      migration: {
        from: 'Vercel',
        to: 'Cloudflare Pages',
        priority: 1,
        downtimeWindow: '0 (DNS already on CF)',
        dependency: 'Find repo',
      },
    },
    'MC-8482',
  ),
];

const resource = (name: string, type: string, spec: object): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default' },
  spec: { type, owner: 'group:default/web-team', ...spec },
});

const dns = resource('alai-dns-consolidation', 'dns-consolidation', {
  dnsConsolidation: {
    target: 'Cloudflare DNS',
    nameservers: ['ana.ns.cloudflare.com', 'bob.ns.cloudflare.com'],
    reportedState: [{ provider: 'Vercel', domains: 1 }],
    steps: ['Log in to registrar, change nameservers'],
  },
});

function catalog(resources: Entity[]) {
  return {
    getEntities: jest.fn(async ({ filter }: any) => ({
      items: filter.kind === 'Component' ? sites : resources,
    })),
  };
}

async function renderPage(resources: Entity[]) {
  await renderInTestApp(<AlaiHostingPage />, {
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    apis: [[catalogApiRef, catalog(resources) as any]],
  });
}

describe('AlaiHostingPage', () => {
  it('lists the migration rows by priority, with downtime, dependency and task; rows without a priority last', async () => {
    await renderPage([dns]);
    const table = await screen.findByRole(
      'table',
      { name: 'Migration table' },
      { timeout: 10_000 },
    );
    const rows = within(table)
      .getAllByRole('row')
      .slice(1)
      .map(r =>
        within(r)
          .getAllByRole('cell')
          .map(c => c.textContent),
      );
    expect(rows).toEqual([
      [
        'alai-basicconsulting-web',
        'Vercel',
        'Cloudflare Pages',
        '1',
        '0 (DNS already on CF)',
        'Find repo',
        'migrated',
        'MC-8482',
      ],
      [
        'client-kenyhot-web',
        'Vercel',
        'Cloudflare Pages',
        '3',
        '< 5 min',
        'Coordinate with client, DNS on Vercel',
        'blocked',
        'MC-8487',
      ],
      [
        'bilko-api',
        'GCP Cloud Run',
        'GCP Cloud Run (stay)',
        '-',
        'None',
        'Dynamic API services',
        'not-applicable',
        '—',
      ],
    ]);
    // The reported DNS state beside what the catalog's sites record.
    const catalogDns = screen.getByRole('table', {
      name: 'DNS providers in the catalog',
    });
    expect(
      within(catalogDns)
        .getAllByRole('row')
        .slice(1)
        .map(r => r.textContent),
    ).toEqual(['cloudflare1', 'vercel1']);
    expect(
      screen.getByText('1 of 2 site domains on Cloudflare DNS'),
    ).toBeInTheDocument();
  });

  it('names the missing SENTINEL block and the bad field of a DNS block instead of a blank card', async () => {
    const bad = resource('alai-dns-consolidation', 'dns-consolidation', {
      dnsConsolidation: {
        ...(dns.spec as any).dnsConsolidation,
        nameservers: [],
      },
    });
    await renderPage([bad]);
    expect(
      await screen.findByText(/No Resource of type alerting in the catalog/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /alai-dns-consolidation spec.dnsConsolidation is invalid/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/nameservers/)).toBeInTheDocument();
  });
});
