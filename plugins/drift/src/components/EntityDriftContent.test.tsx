import { screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { driftApiRef } from '../api/DriftApi';
import {
  fakeDriftApi,
  makeCurrent,
  makeHistory,
} from '../__testUtils__/fakeDriftApi';
import { EntityDriftContent } from './EntityDriftContent';

const tenant = {
  apiVersion: 'fabric.samakia.io/v1alpha1',
  kind: 'Tenant',
  metadata: {
    name: 'project-birds',
    namespace: 'default',
    title: 'Project Birds',
  },
  spec: {},
};
const plane = {
  apiVersion: 'fabric.samakia.io/v1alpha1',
  kind: 'Plane',
  metadata: { name: 'minio', namespace: 'default' },
  spec: {},
};

function renderTab(entity: Entity, api = fakeDriftApi()) {
  renderInTestApp(
    <EntityProvider entity={entity}>
      <EntityDriftContent />
    </EntityProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [[driftApiRef, api]],
    },
  );
  return api;
}

jest.setTimeout(30_000);

describe('EntityDriftContent', () => {
  it('shows operators the current verdicts, declared vs observed, runbooks and the history chart', async () => {
    const api = renderTab(plane);
    const table = await screen.findByRole(
      'table',
      { name: 'Drift findings' },
      { timeout: 10_000 },
    );
    expect(api.getCurrent).toHaveBeenCalledWith({
      entity: 'plane:default/minio',
    });
    expect(api.getHistory).toHaveBeenCalledWith({
      entity: 'plane:default/minio',
    });
    expect(screen.getByTestId('drift-headline')).toHaveTextContent(
      'FAIL 1 FAIL, 0 WARN across 1 run.',
    );
    const rows = within(table).getAllByRole('row');
    // Worst first: the FAIL, then the PASS.
    expect(rows[1]).toHaveAttribute('data-verdict', 'FAIL');
    expect(
      within(rows[1]).getByLabelText('Declared birds-prod/max_connections'),
    ).toHaveTextContent('200');
    expect(
      within(rows[1]).getByLabelText('Observed birds-prod/max_connections'),
    ).toHaveTextContent('500');
    expect(
      within(rows[1]).getByRole('link', {
        name: 'Backup and restore of data services',
      }),
    ).toHaveAttribute('href', '/docs/default/resource/backup-and-restore');
    // A FAIL of a tenant offers the tenant-proposal template, pre-filled; a PASS does not.
    const propose = within(rows[1]).getByRole('link', {
      name: 'Submit a proposal',
    });
    const url = new URL(propose.getAttribute('href')!, 'http://localhost');
    expect(url.pathname).toBe('/create/templates/default/tenant-proposal');
    expect(JSON.parse(url.searchParams.get('formData')!)).toEqual({
      tenant: 'tenant:default/project-birds',
      environment: 'resource:default/samakia-prod',
      title: 'Drift FAIL: birds-prod/max_connections',
    });
    expect(propose).not.toHaveAttribute('target');
    expect(rows[2]).toHaveAttribute('data-verdict', 'PASS');
    expect(
      within(rows[2]).queryByRole('link', { name: 'Submit a proposal' }),
    ).toBeNull();
    // No runbook for its resource type: the general drift runbook, not "—".
    expect(
      within(rows[2]).getByRole('link', { name: 'Drift signal review' }),
    ).toHaveAttribute('href', '/docs/default/resource/drift-review');
    expect(
      within(rows[2]).queryByText('—', { selector: 'td' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Runbook: Drift signal review/ }),
    ).toHaveAttribute('href', '/docs/default/resource/drift-review');
    expect(screen.getByLabelText('Verdict per provider')).toHaveTextContent(
      'postgres: FAILrabbitmq: PASS',
    );

    // The chart draws one point per run, the earlier PASS included (on its second render pass).
    const chart = screen.getByTestId('drift-history-chart');
    await waitFor(() =>
      expect(chart.querySelectorAll('[data-run-id]')).toHaveLength(2),
    );
    const points = chart.querySelectorAll('[data-run-id]');
    expect([...points].map(p => p.getAttribute('data-verdict'))).toEqual([
      'PASS',
      'FAIL',
    ]);
    expect(points[0]).toHaveAttribute(
      'aria-label',
      'PASS at 2030-01-06 10:00 UTC in samakia-prod from ci/drift-nightly: 0 FAIL, 0 WARN',
    );
    expect(
      within(screen.getByRole('table', { name: 'Drift runs' })).getAllByRole(
        'row',
      ),
    ).toHaveLength(3);
    // Nothing offers to fix anything.
    expect(
      screen.queryByRole('button', { name: /fix|apply|remediate/i }),
    ).toBeNull();
  });

  it('shows a drift message with a right-to-left override in its written order', async () => {
    const current = makeCurrent();
    const api = fakeDriftApi();
    api.getCurrent.mockResolvedValue({
      ...current,
      audience: 'tenant',
      findings: [
        {
          ...current.findings[0],
          // Unmarked, U+202E renders "cleared by ops" as "spo yb deraelc".
          message: 'raised by hand \u202Espo yb deraelc',
          declared: { note: 'a\u202Eb' },
        },
      ],
    });
    renderTab(tenant, api);
    const table = await screen.findByRole(
      'table',
      { name: 'Drift findings' },
      { timeout: 10_000 },
    );
    // The tenant's summary quotes the message too: nowhere on the tab is it raw.
    await screen.findByText('Your drift summary');
    expect(document.body.textContent).not.toContain('\u202E');
    const row = within(table).getAllByRole('row')[1];
    expect(row.textContent).toContain('raised by hand <U+202E>spo yb deraelc');
    expect(row.textContent).not.toContain('\u202E');
    expect(
      row.querySelector('[data-invisible-character="U+202E"]'),
    ).not.toBeNull();
    expect(
      within(row).getByLabelText('Declared birds-prod/max_connections'),
    ).toHaveTextContent('a<U+202E>b');
  });

  it('writes the summary for a tenant member', async () => {
    const api = fakeDriftApi({
      getCurrent: jest.fn(async () => makeCurrent({ audience: 'tenant' })),
      getHistory: jest.fn(async () => makeHistory({ audience: 'tenant' })),
    });
    renderTab(tenant, api);
    expect(
      await screen.findByText('Your drift summary', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(api.getCurrent).toHaveBeenCalledWith({
      tenant: 'tenant:default/project-birds',
    });
    expect(screen.getByTestId('drift-headline')).toHaveTextContent(
      "1 of your resources differ from your contract; 1 need the platform team's attention (FAIL).",
    );
    expect(
      screen.getByText(
        'postgres in samakia-prod: birds-prod/max_connections has different capacity or limits than your contract (FAIL) - raised by hand',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Nothing is changed automatically/),
    ).toBeInTheDocument();
    // In the summary and in the finding's Runbook column (no runbook for its type).
    const links = screen.getAllByRole('link', { name: 'Drift signal review' });
    expect(links).toHaveLength(2);
    for (const link of links) {
      expect(link).toHaveAttribute(
        'href',
        '/docs/default/resource/drift-review',
      );
    }
  });

  it('says so when nothing was reported', async () => {
    renderTab(
      plane,
      fakeDriftApi({
        getCurrent: jest.fn(async () =>
          makeCurrent({
            runs: [],
            findings: [],
            providers: [],
            verdict: 'PASS',
          }),
        ),
        getHistory: jest.fn(async () => makeHistory({ items: [] })),
      }),
    );
    expect(
      await screen.findByText('Nothing reported yet.', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('No runs in this period yet.')).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    renderTab(
      plane,
      fakeDriftApi({
        getCurrent: jest.fn(async () => {
          throw new Error('The query is invalid:\n- environment: ...');
        }),
      }),
    );
    expect(
      await screen.findByText(/Could not load drift/, {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
  });
});
