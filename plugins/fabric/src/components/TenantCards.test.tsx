import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { TenantConsumersCard } from './TenantCards';

jest.setTimeout(30_000);

const tenant = (legalHold?: object): Entity => ({
  apiVersion: 'fabric.samakia.io/v1alpha1',
  kind: 'Tenant',
  metadata: { name: 'project-birds', namespace: 'default' },
  spec: {
    owner: 'group:default/team-birds',
    environments: ['samakia-dev'],
    consumers: [{ provider: 'postgres', variant: 'single', enabled: true }],
    quotas: {},
    ...(legalHold ? { legalHold } : {}),
  },
});

async function renderCard(entity: Entity) {
  await renderInTestApp(
    <EntityProvider entity={entity}>
      <TenantConsumersCard />
    </EntityProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('TenantConsumersCard legal hold', () => {
  it('shows the hold: since, case, reason and the group that set it', async () => {
    await renderCard(
      tenant({
        setBy: 'group:default/legal',
        since: '2026-06-01',
        reason: 'Litigation hold for the June outage review',
        caseRef: 'LEGAL-2026-014',
      }),
    );
    expect(
      await screen.findByText('On hold since 2026-06-01 (LEGAL-2026-014)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Litigation hold for the June outage review; set by/),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'legal' })).toHaveAttribute(
      'href',
      '/catalog/default/group/legal',
    );
  });

  it('says none when the tenant is not held', async () => {
    await renderCard(tenant());
    expect(await screen.findByText('Legal hold')).toBeInTheDocument();
    expect(screen.getByText('none')).toBeInTheDocument();
    expect(screen.queryByText(/On hold since/)).not.toBeInTheDocument();
  });
});
