import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { ConsumersCard } from './ConsumersCard';

jest.setTimeout(30_000);

const plane: Entity = {
  apiVersion: 'fabric.samakia.io/v1alpha1',
  kind: 'Plane',
  metadata: { name: 'data-services', namespace: 'default' },
  spec: {},
};

const tenant = (name: string, title: string, owner: string): Entity => ({
  apiVersion: 'fabric.samakia.io/v1alpha1',
  kind: 'Tenant',
  metadata: { name, namespace: 'default', title },
  spec: {
    owner,
    environments: ['samakia-dev', 'samakia-prod'],
    consumers: [
      {
        provider: 'postgres',
        variant: 'cluster',
        enabled: true,
        ready: name === 'project-birds',
        plane: 'plane:default/data-services',
      },
      { provider: 'rabbitmq', variant: 'single', enabled: true, ready: true },
    ],
  },
});
const birds = tenant(
  'project-birds',
  'Project Birds',
  'group:default/team-birds',
);
const harbor = tenant(
  'project-harbor',
  'Project Harbor',
  'group:default/team-harbor',
);

/** The catalog as a reader sees it: only the tenants its permissions let through. */
function catalogShowing(visible: Entity[]) {
  return { getEntities: jest.fn(async () => ({ items: visible })) };
}

async function renderCard(catalog: ReturnType<typeof catalogShowing>) {
  await renderInTestApp(
    <EntityProvider entity={plane}>
      <ConsumersCard />
    </EntityProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [[catalogApiRef, catalog as any]],
    },
  );
}

describe('ConsumersCard', () => {
  it('asks the catalog, as the reader, for the tenants that depend on this plane', async () => {
    const catalog = catalogShowing([birds, harbor]);
    await renderCard(catalog);
    const table = await screen.findByRole(
      'table',
      { name: 'Consuming tenants' },
      { timeout: 10_000 },
    );
    expect(catalog.getEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: {
          kind: 'Tenant',
          'relations.dependsOn': 'plane:default/data-services',
        },
      }),
    );
    const rows = within(table).getAllByRole('row');
    expect(rows.map(r => r.textContent)).toEqual([
      'TenantOwnerConsumesEnvironments',
      'Project Birdsteam-birdspostgres clustersamakia-devsamakia-prod',
      'Project Harborteam-harborpostgres cluster (not ready)samakia-devsamakia-prod',
    ]);
  });

  it('shows a tenant member only what the catalog lets them see: their own tenant', async () => {
    await renderCard(catalogShowing([birds]));
    const table = await screen.findByRole(
      'table',
      { name: 'Consuming tenants' },
      { timeout: 10_000 },
    );
    expect(within(table).getByText('Project Birds')).toBeInTheDocument();
    expect(screen.queryByText(/Harbor/)).not.toBeInTheDocument();
  });

  it('says so when no visible tenant consumes the plane', async () => {
    await renderCard(catalogShowing([]));
    expect(
      await screen.findByText(
        'No tenant you may see consumes this plane.',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
  });
});
