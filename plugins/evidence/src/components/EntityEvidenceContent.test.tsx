import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { evidenceApiRef } from '../api/EvidenceApi';
import { rootRouteRef } from '../routes';
import { fakeEvidenceApi } from '../__testUtils__/fakeEvidenceApi';
import { EntityEvidenceContent } from './EntityEvidenceContent';

// Rendering a whole test app takes seconds on a loaded 2-core CI machine.
jest.setTimeout(30_000);

const tenant = {
  apiVersion: 'fabric.samakia.io/v1alpha1',
  kind: 'Tenant',
  metadata: { name: 'project-birds', namespace: 'default' },
  spec: {},
};

describe('EntityEvidenceContent', () => {
  it('lists the packets with verdicts, opens one with its summary, a log and its markers', async () => {
    const api = fakeEvidenceApi();
    renderInTestApp(
      <EntityProvider entity={tenant}>
        <EntityEvidenceContent />
      </EntityProvider>,
      {
        mountedRoutes: {
          '/evidence': rootRouteRef,
          '/catalog/:namespace/:kind/:name': entityRouteRef,
        },
        apis: [[evidenceApiRef, api]],
      },
    );
    const table = await screen.findByRole(
      'table',
      { name: 'Evidence packets' },
      { timeout: 10_000 },
    );
    expect(api.listPackets).toHaveBeenCalledWith({
      entity: 'tenant:default/project-birds',
    });
    expect(within(table).getByTestId('verdict')).toHaveTextContent('verified');
    // The tenant column is left out on the tenant's own page.
    expect(within(table).queryByText('Tenant')).toBeNull();

    await userEvent.click(
      within(table).getByRole('button', { name: 'Birds capacity acceptance' }),
    );
    const summary = await screen.findByTestId('packet-summary');
    expect(
      within(summary).getByRole('heading', {
        name: 'Birds capacity acceptance',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('Phase 11 accepted')).toBeInTheDocument();
    // The RFC 3161 timestamp over the manifest: who stamped it, when, verified or not.
    const timestamps = screen.getByRole('table', { name: 'Timestamps' });
    expect(within(timestamps).getByText('samakia-tsa')).toBeInTheDocument();
    expect(
      within(timestamps).getByText('CN=Samakia Time-Stamping Authority'),
    ).toBeInTheDocument();
    expect(within(timestamps).getByText('SHA-256')).toBeInTheDocument();
    expect(within(timestamps).getByText('valid')).toBeInTheDocument();
    // A file with secret-like values can be previewed (masked) but not downloaded.
    expect(
      screen.queryByRole('button', {
        name: 'Download steps/01-accept/stderr.log',
      }),
    ).toBeNull();
    expect(
      screen.getByRole('button', {
        name: 'Download steps/01-accept/stdout.log',
      }),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', {
        name: 'Preview steps/01-accept/stdout.log',
      }),
    );
    expect(await screen.findByTestId('file-preview')).toHaveTextContent(
      'step ok',
    );
    expect(api.previewFile).toHaveBeenCalledWith(
      '6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
      'steps/01-accept/stdout.log',
    );
  });

  it('says so when there is no evidence yet', async () => {
    renderInTestApp(
      <EntityProvider entity={tenant}>
        <EntityEvidenceContent />
      </EntityProvider>,
      {
        mountedRoutes: {
          '/evidence': rootRouteRef,
          '/catalog/:namespace/:kind/:name': entityRouteRef,
        },
        apis: [
          [
            evidenceApiRef,
            fakeEvidenceApi({
              listPackets: jest.fn(async () => ({ items: [], total: 0 })),
            }),
          ],
        ],
      },
    );
    expect(
      await screen.findByText(
        'No evidence packets for this entity yet.',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
  });
});
