import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { PacketResolution } from '@internal/plugin-approvals-common';
import {
  fakeApprovalsApi,
  makeAudit,
  makeProposal,
  makeView,
} from '../__testUtils__/fakeApprovalsApi';
import { approvalsApiRef } from '../api/ApprovalsApi';
import { AuditCard, EvidenceCard } from './EvidenceAuditCards';
import { OverviewCard } from './ProposalCards';

jest.setTimeout(30_000);

const id = (n: number) =>
  `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const KINDS = ['eval-report', 'dataset-manifest', 'compatibility'];

function promotionView(
  cited: Array<[packetId: string, kind: string]>,
  resolutions: Array<Partial<PacketResolution> & { packetId: string }>,
) {
  return makeView({
    proposal: makeProposal({
      type: 'promotion',
      environment: 'resource:default/prod',
      change: {
        artefact: {
          kind: 'image',
          name: 'registry/birds-api',
          version: '1.4.2',
        },
        from: 'resource:default/dev',
        to: 'resource:default/prod',
      } as any,
      packets: cited.map(([packetId, kind]) => ({ packetId, kind })) as any,
    }),
    rules: {
      production: true,
      requiredApprovals: 2,
      requireSignature: true,
      approvalTtlMs: 86_400_000,
      promotionPacketKinds: KINDS,
    },
    gate: {
      proposalId: makeProposal().id,
      state: 'in-review',
      allowed: false,
      reasons: [],
      evaluatedAt: '2026-11-20T10:00:00.000Z',
      packets: resolutions.map(r => ({
        outcome: 'ok',
        verdict: 'verified',
        message: 'checked',
        ...r,
      })),
    },
  });
}

/** The cells of the packet's row in the evidence table, by column title. */
function rowOf(packetId: string): Record<string, string> {
  const table = screen.getByRole('table', { name: 'Evidence packets' });
  const titles = within(table)
    .getAllByRole('columnheader')
    .map(h => h.textContent ?? '');
  const row = within(table)
    .getByRole('link', { name: packetId })
    .closest('tr')!;
  const cells = within(row).getAllByRole('cell');
  return Object.fromEntries(
    titles.map((t, i) => [t, cells[i].textContent ?? '']),
  );
}

describe('the proposal page shows what each packet declares itself', () => {
  it('names the cited and the declared kind in the domain words, and flags a mismatch in text', async () => {
    await renderInTestApp(
      <EvidenceCard
        view={promotionView(
          [
            [id(1), 'eval-report'],
            [id(2), 'eval-report'],
            [id(3), 'compatibility'],
            [id(4), 'dataset-manifest'],
            [id(5), 'other'],
            [id(6), 'eval-report'],
          ],
          [
            {
              packetId: id(1),
              kind: 'eval-report',
              declaredKind: 'eval-report',
            },
            {
              packetId: id(2),
              kind: 'eval-report',
              declaredKind: 'dataset-manifest',
              outcome: 'kind-mismatch',
            },
            { packetId: id(3), kind: 'compatibility' },
            { packetId: id(4), kind: 'dataset-manifest', outcome: 'foreign' },
            { packetId: id(5), kind: 'other', declaredKind: 'compatibility' },
          ],
        )}
      />,
    );

    expect(rowOf(id(1))).toMatchObject({
      'Cited as': 'EvalReport',
      'Declared kind': 'EvalReport',
    });
    // The flag is words, not only the error colour.
    expect(rowOf(id(2))).toMatchObject({
      'Cited as': 'EvalReport',
      'Declared kind': 'DatasetManifest: mismatch, cited as EvalReport',
    });
    // Cited as a required kind the packet does not declare: it does not count.
    expect(rowOf(id(3))).toMatchObject({
      'Cited as': 'compatibility metadata',
      'Declared kind':
        'none declared: does not count as compatibility metadata',
    });
    // Another tenant's packet: its kind is not shown.
    expect(rowOf(id(4))['Declared kind']).toBe('not disclosed');
    // `other` claims nothing, so a declared kind is no mismatch.
    expect(rowOf(id(5))).toMatchObject({
      'Cited as': 'other',
      'Declared kind': 'compatibility metadata',
    });
    expect(rowOf(id(6))['Declared kind']).toBe('not checked');
    for (const n of [1, 3, 4, 5, 6]) {
      expect(rowOf(id(n))['Declared kind']).not.toMatch(/mismatch/);
    }
    expect(screen.queryByText(/eval-report|dataset-manifest/)).toBeNull();
  });

  it('names the required kinds in the rules of the overview', async () => {
    await renderInTestApp(<OverviewCard view={promotionView([], [])} />, {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(
      screen.getByText(
        /promotions need an EvalReport, a DatasetManifest and a compatibility metadata packet, each declaring its kind/,
      ),
    ).toBeInTheDocument();
  });

  it('names the kinds in the audit trail, with what a packet declares when it differs', async () => {
    const proposalId = makeProposal().id;
    const [record] = makeAudit(proposalId);
    const api = fakeApprovalsApi({
      getAudit: jest.fn(async () => ({
        items: [
          {
            ...record,
            details: {
              packets: [
                {
                  packetId: id(1),
                  kind: 'eval-report',
                  declaredKind: 'eval-report',
                  outcome: 'ok',
                  verdict: 'verified',
                  message: 'checked',
                },
                {
                  packetId: id(2),
                  kind: 'eval-report',
                  declaredKind: 'dataset-manifest',
                  outcome: 'kind-mismatch',
                  verdict: 'verified',
                  message: 'checked',
                },
              ],
            },
          },
        ],
      })),
    });
    await renderInTestApp(<AuditCard id={proposalId} reload={0} />, {
      apis: [[approvalsApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    const lines = await screen.findByRole('list', {
      name: 'Packet resolutions',
    });
    expect(
      within(lines)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      '00000000 EvalReport: ok (verified)',
      '00000000 EvalReport (declares DatasetManifest): kind-mismatch (verified)',
    ]);
  });
});
