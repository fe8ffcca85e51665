import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { driftApiRef } from '../api/DriftApi';
import { fakeDriftApi, makeOverview } from '../__testUtils__/fakeDriftApi';
import { DriftOverviewPage } from './DriftOverviewPage';

jest.setTimeout(30_000);

describe('DriftOverviewPage', () => {
  it('draws tenants x providers as a heat map, newest FAIL first, rows linking to the Drift tab', async () => {
    renderInTestApp(<DriftOverviewPage />, {
      apis: [[driftApiRef, fakeDriftApi()]],
    });
    const table = await screen.findByRole(
      'table',
      { name: 'Drift heat map' },
      { timeout: 10_000 },
    );
    const rows = within(table).getAllByRole('row');
    expect(
      within(rows[0])
        .getAllByRole('columnheader')
        .map(c => c.textContent),
    ).toEqual([
      'Tenant or entity',
      'Verdict',
      'Newest FAIL',
      'mariadb',
      'minio',
      'postgres',
    ]);
    expect(rows.slice(1).map(r => r.querySelector('th')?.textContent)).toEqual([
      'project-orchard',
      'project-birds',
      'minioplane',
    ]);
    expect(
      within(rows[1]).getByRole('link', { name: 'project-orchard' }),
    ).toHaveAttribute('href', '/catalog/default/tenant/project-orchard/drift');
    expect(
      within(rows[2]).getByLabelText(
        'project-birds postgres: FAIL, 1 FAIL, 0 WARN, 2030-01-07 10:00 UTC',
      ),
    ).toHaveAttribute('data-verdict', 'FAIL');
    expect(
      within(rows[2]).getByLabelText('project-birds mariadb: not checked'),
    ).toHaveTextContent('·');
    expect(
      within(rows[3]).getByLabelText(
        'minio minio: PASS, nothing differs, 2030-01-07 09:00 UTC',
      ),
    ).toHaveAttribute('data-verdict', 'PASS');
    expect(screen.getByText('Tenants x providers')).toBeInTheDocument();
  });

  it('speaks to tenants about their own tenants', async () => {
    renderInTestApp(<DriftOverviewPage />, {
      apis: [
        [
          driftApiRef,
          fakeDriftApi({
            getOverview: jest.fn(async () =>
              makeOverview({
                audience: 'tenant',
                providers: ['postgres'],
                rows: makeOverview().rows.slice(1, 2),
              }),
            ),
          }),
        ],
      ],
    });
    expect(
      await screen.findByText('Your tenants', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Only your own tenants are shown/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('columnheader', { name: 'Your tenant' }),
    ).toBeInTheDocument();
  });

  it('explains an empty overview', async () => {
    renderInTestApp(<DriftOverviewPage />, {
      apis: [
        [
          driftApiRef,
          fakeDriftApi({
            getOverview: jest.fn(async () =>
              makeOverview({ audience: 'tenant', providers: [], rows: [] }),
            ),
          }),
        ],
      ],
    });
    expect(
      await screen.findByText(
        'No drift has been reported for your tenants yet.',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
  });
});
