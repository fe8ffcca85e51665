import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { evidenceApiRef } from '../api/EvidenceApi';
import { rootRouteRef } from '../routes';
import { fakeEvidenceApi, makePacket } from '../__testUtils__/fakeEvidenceApi';
import { EvidencePage } from './EvidencePage';

jest.setTimeout(30_000);

describe('EvidencePage', () => {
  it('filters by the query string and links each packet to its page', async () => {
    const packet = makePacket({
      verdict: 'tampered',
      title: 'Tampered birds packet',
    });
    const api = fakeEvidenceApi({
      listPackets: jest.fn(async () => ({ items: [packet], total: 1 })),
    });
    renderInTestApp(<EvidencePage />, {
      mountPath: '/evidence',
      initialRouteEntries: [
        '/evidence?verdict=tampered&area=tenants&from=2026-01-01',
      ],
      mountedRoutes: {
        '/evidence': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
      apis: [[evidenceApiRef, api]],
    });
    const table = await screen.findByRole(
      'table',
      { name: 'Evidence packets' },
      { timeout: 10_000 },
    );
    expect(api.listPackets).toHaveBeenCalledWith({
      area: 'tenants',
      verdict: 'tampered',
      from: '2026-01-01',
      entity: undefined,
      to: undefined,
      limit: 50,
      offset: 0,
    });
    expect(
      within(table).getByRole('link', { name: 'Tampered birds packet' }),
    ).toHaveAttribute('href', `/evidence/packets/${packet.id}`);
    expect(within(table).getByTestId('verdict')).toHaveTextContent('tampered');
    expect(screen.getByText('Packets (1)')).toBeInTheDocument();
    // Only one page: neither direction to go.
    expect(screen.getByRole('button', { name: 'Older' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Newer' })).toBeDisabled();
    expect(api.listPackets).toHaveBeenCalledTimes(1);
  });

  it('shows a packet title and subject spelled with U+202E as visible markers', async () => {
    const packet = makePacket({
      // Unmarked, the title displays as "invoice-exe.png".
      title: 'invoice-\u202Egnp.exe',
      subject: 'birds\u200B',
    });
    renderInTestApp(<EvidencePage />, {
      mountPath: '/evidence',
      initialRouteEntries: ['/evidence'],
      mountedRoutes: {
        '/evidence': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
      apis: [
        [
          evidenceApiRef,
          fakeEvidenceApi({
            listPackets: jest.fn(async () => ({ items: [packet], total: 1 })),
          }),
        ],
      ],
    });
    const table = await screen.findByRole(
      'table',
      { name: 'Evidence packets' },
      { timeout: 10_000 },
    );
    expect(
      within(table).getByRole('link', { name: 'invoice-<U+202E>gnp.exe' }),
    ).toBeInTheDocument();
    expect(table.textContent).toContain('birds<U+200B>');
    expect(table.textContent).not.toMatch(/[\u202E\u200B]/);
  });
});
