import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { DataProtectionCard } from './DataProtectionCard';

jest.setTimeout(30_000);

const plane = (targets?: string): Entity => ({
  apiVersion: 'fabric.samakia.io/v1alpha1',
  kind: 'Plane',
  metadata: {
    name: 'data-services',
    namespace: 'default',
    annotations: {
      'fabric.samakia.io/rpo': '15m (metadata)',
      'fabric.samakia.io/rto': '1h (core services)',
      ...(targets ? { 'fabric.samakia.io/acceptance-targets': targets } : {}),
    },
  },
  spec: {},
});

const DAY = 86_400_000;
const health = {
  entity: 'plane:default/data-services',
  access: 'platform',
  status: 'stale',
  staleAfterMs: 7 * DAY,
  problems: [],
  observations: {},
  targets: [
    {
      target: 'backup-run',
      area: 'acceptance',
      subject: 'backup-run',
      status: 'stale',
      latest: {
        packetId: 'pkt-1',
        area: 'acceptance',
        timestamp: '2026-04-19T02:00:00.000Z',
        result: 'PASS',
        verdict: 'unsigned',
        ageMs: 231 * DAY,
      },
    },
    {
      target: 'restore-drill',
      area: 'acceptance',
      subject: 'restore-drill',
      status: 'missing',
    },
  ],
};

async function renderCard(
  entity: Entity,
  answer: { status: number; body: unknown },
) {
  const fetch = jest.fn(
    async () =>
      new Response(JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'Content-Type': 'application/json' },
      }),
  );
  await renderInTestApp(
    <EntityProvider entity={entity}>
      <DataProtectionCard />
    </EntityProvider>,
    {
      apis: [
        [
          discoveryApiRef,
          { getBaseUrl: async (id: string) => `http://backend/api/${id}` },
        ],
        [fetchApiRef, { fetch }],
      ],
    },
  );
  return fetch;
}

describe('DataProtectionCard', () => {
  it('shows the declared objectives beside the latest backup run (stale) and a run never made (missing)', async () => {
    const fetch = await renderCard(plane('backup-run, restore-drill'), {
      status: 200,
      body: health,
    });
    const table = await screen.findByRole('table', {
      name: 'Backup and DR evidence',
    });
    expect(fetch).toHaveBeenCalledWith(
      expect.stringContaining(
        '/api/fabric-ops/health?entity=plane%3Adefault%2Fdata-services',
      ),
      expect.anything(),
    );
    const rows = within(table).getAllByRole('row').slice(1);
    expect(within(rows[0]).getByText('backup-run')).toBeInTheDocument();
    expect(
      within(rows[0]).getByTestId('health-status-stale'),
    ).toBeInTheDocument();
    const link = within(rows[0]).getByRole('link');
    expect(link).toHaveAttribute('href', '/evidence/packets/pkt-1');
    expect(link.textContent).toContain('231 d ago');
    expect(link.textContent).toContain('PASS, unsigned');
    expect(
      within(rows[1]).getByTestId('health-status-missing'),
    ).toBeInTheDocument();
    expect(within(rows[1]).getByText('no packet')).toBeInTheDocument();
    expect(screen.getByText('15m (metadata)')).toBeInTheDocument();
    expect(screen.getByText('1h (core services)')).toBeInTheDocument();
    expect(screen.getByText(/older than 7 d is stale/)).toBeInTheDocument();
  });

  it('tells a reader the backend refuses that the evidence is for operators and consumers', async () => {
    await renderCard(plane('backup-run'), {
      status: 403,
      body: { error: { name: 'NotAllowedError', message: 'Not allowed' } },
    });
    expect(
      await screen.findByText(/shown to operators and to consuming tenants/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Backup and DR evidence' }),
    ).toBeNull();
  });

  it('says no evidence is attached, and asks nothing, when no run is named', async () => {
    const fetch = await renderCard(plane(), { status: 500, body: {} });
    expect(
      await screen.findByText(/No backup or DR evidence is attached yet/),
    ).toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
  });
});
