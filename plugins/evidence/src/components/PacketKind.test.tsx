import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { evidenceApiRef } from '../api/EvidenceApi';
import { rootRouteRef } from '../routes';
import { fakeEvidenceApi, makePacket } from '../__testUtils__/fakeEvidenceApi';
import { EvidencePage } from './EvidencePage';

// packet.json `kind` (what a packet says it is: eval-report, ...) on the Evidence list and on
// the packet page, named as the seeds name it (EvalReport, DatasetManifest, compatibility
// metadata).
jest.setTimeout(30_000);

const routes = {
  '/evidence': rootRouteRef,
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

const id = (n: number) =>
  `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('packet kinds on the Evidence pages', () => {
  it('lists each packet with its kind', async () => {
    const packets = [
      makePacket({ id: id(1), title: 'Eval', kind: 'eval-report' }),
      makePacket({ id: id(2), title: 'Compat', kind: 'compatibility' }),
      makePacket({ id: id(3), title: 'Capacity' }),
      makePacket({ id: id(4), title: 'Smoke', kind: 'smoke-test' }),
    ];
    renderInTestApp(<EvidencePage />, {
      mountPath: '/evidence',
      initialRouteEntries: ['/evidence'],
      mountedRoutes: routes,
      apis: [
        [
          evidenceApiRef,
          fakeEvidenceApi({
            listPackets: jest.fn(async () => ({ items: packets, total: 4 })),
          }),
        ],
      ],
    });
    const table = await screen.findByRole(
      'table',
      { name: 'Evidence packets' },
      { timeout: 10_000 },
    );
    const column = within(table)
      .getAllByRole('columnheader')
      .findIndex(h => h.textContent === 'Kind');
    expect(column).toBeGreaterThan(-1);
    const kindOf = (title: string) =>
      within(
        within(table).getByRole('link', { name: title }).closest('tr')!,
      ).getAllByRole('cell')[column].textContent;
    expect(kindOf('Eval')).toBe('EvalReport');
    expect(kindOf('Compat')).toBe('compatibility metadata');
    expect(kindOf('Capacity')).toBe('—');
    // A kind the portal has no name for is shown as declared.
    expect(kindOf('Smoke')).toBe('smoke-test');
  });

  it.each([
    [
      'a verified packet',
      makePacket({ kind: 'dataset-manifest' }),
      'DatasetManifest "kind": "dataset-manifest"',
    ],
    [
      'a tampered packet, whose kind is not the signer\u2019s word',
      makePacket({ kind: 'eval-report', verdict: 'tampered' }),
      'EvalReport "kind": "eval-report"Not covered by a valid signature (tampered): approvals does not count it.',
    ],
    ['a packet without a kind', makePacket(), 'none declared in packet.json'],
  ])('shows the kind on the packet page: %s', async (_what, packet, text) => {
    renderInTestApp(<EvidencePage />, {
      mountPath: '/evidence',
      initialRouteEntries: [`/evidence/packets/${packet.id}`],
      mountedRoutes: routes,
      apis: [
        [
          evidenceApiRef,
          fakeEvidenceApi({ getPacket: jest.fn(async () => packet) }),
        ],
      ],
    });
    const facts = await screen.findByRole(
      'table',
      { name: 'Packet facts' },
      { timeout: 10_000 },
    );
    const row = within(facts).getByRole('row', { name: /^Kind / });
    expect(row.lastElementChild!.textContent).toBe(text);
  });
});
