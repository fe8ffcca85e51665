import type { Proposal } from '@internal/plugin-approvals-common';
import type { DriftOverview } from '@internal/plugin-drift-common';
import { forOperator, forTenant } from './forYouSummary';

const proposal = (title: string, state: string) =>
  ({
    id: title,
    title,
    state,
    tenant: 'tenant:default/project-birds',
  } as unknown as Proposal);

const overview = (
  audience: 'platform' | 'tenant',
  verdicts: Record<string, 'PASS' | 'WARN' | 'FAIL'>,
): DriftOverview => ({
  audience,
  providers: [],
  rows: Object.entries(verdicts).map(([subject, verdict]) => ({
    subject,
    kind: 'tenant',
    verdict,
    lastObservedAt: '2026-11-23T12:00:00.000Z',
    cells: {},
  })),
});

describe('what waits for the signed-in person', () => {
  it('gives an operator the review queue by step and the FAIL drift', () => {
    const summary = forOperator(
      'Olivia Operator',
      [
        proposal('Open 443', 'validated'),
        proposal('DNS zone', 'validated'),
        proposal('Quota', 'in-review'),
        proposal('Done', 'applied'),
      ],
      overview('platform', {
        'tenant:default/project-birds': 'FAIL',
        'tenant:default/orchard': 'WARN',
      }),
    );
    expect(summary.role).toBe('operator');
    expect(summary.items.map(i => [i.label, i.count])).toEqual([
      ['Proposals to claim', 2],
      ['Proposals in review (approve or reject)', 1],
      ['Approved, waiting to be applied and verified', 0],
      ['FAIL drift', 1],
    ]);
    expect(summary.items[0].detail).toBe('Open 443, DNS zone');
    expect(summary.items[3].detail).toBe('project-birds');
  });

  it('gives a tenant their open proposals, their drift and their evidence', () => {
    const summary = forTenant(
      'Bea Birds',
      [
        proposal('Open 443', 'in-review'),
        proposal('Old', 'rejected'),
        proposal('Applied', 'applied'),
      ],
      overview('tenant', {
        'tenant:default/project-birds': 'WARN',
        'tenant:default/other': 'PASS',
      }),
      [
        { tenant: 'tenant:default/project-birds', total: 3 },
        { tenant: 'tenant:default/other', total: 1 },
      ],
    );
    expect(summary.role).toBe('tenant');
    expect(
      summary.items.map(i => [i.label, i.count, i.urgent ?? false]),
    ).toEqual([
      ['Your open proposals', 1, false],
      ['Drift in your tenants (FAIL or WARN)', 1, false],
      ['Evidence packets of your tenants', 4, false],
    ]);
    expect(summary.items[0].detail).toBe('Open 443 (in-review)');
  });
});
