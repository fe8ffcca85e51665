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

const page = (
  items: Proposal[],
  byState: Record<string, number>,
  waitingForMe = 0,
) => ({ items, counts: { byState, waitingForMe } });

describe('what waits for the signed-in person', () => {
  it('gives an operator the server counts by step, verifies due with the overdue ones, and FAIL drift', () => {
    const overdue = {
      ...proposal('Quota raise', 'applied'),
      verifyOverdueAt: '2026-11-23T12:00:00.000Z',
    } as Proposal;
    const summary = forOperator(
      'Olivia Operator',
      // The first page of the review view: two of the 40 waiting; counts are the server's.
      page(
        [proposal('Open 443', 'validated'), proposal('DNS zone', 'in-review')],
        { validated: 31, 'in-review': 9, approved: 2, applied: 3 },
        40,
      ),
      [overdue, proposal('Zone', 'applied'), proposal('Bucket', 'applied')],
      overview('platform', {
        'tenant:default/project-birds': 'FAIL',
        'tenant:default/orchard': 'WARN',
      }),
      [
        {
          ref: 'plane:default/dns',
          title: 'DNS plane',
          health: {
            staleAfterMs: 7 * 24 * 3_600_000,
            targets: [
              {
                target: 'dns.accept',
                status: 'stale',
                latest: { ageMs: 9 * 24 * 3_600_000 },
              },
            ],
          },
        },
      ],
    );
    expect(summary.role).toBe('operator');
    expect(
      summary.items.map(i => [i.label, i.count, i.urgent ?? false]),
    ).toEqual([
      ['Waiting for you (claim or approve now)', 40, false],
      ['Proposals to claim', 31, false],
      ['Proposals in review (approve or reject)', 9, false],
      ['Approved, waiting to be applied', 2, false],
      ['Applied, waiting to be verified', 3, true],
      ['FAIL drift', 1, true],
      ['Acceptance older than 7 days', 1, false],
    ]);
    expect(summary.items[0].link).toBe('/approvals?view=review');
    expect(summary.items[0].links?.map(p => p.title)).toEqual([
      'Open 443',
      'DNS zone',
    ]);
    expect(summary.items[1].links).toEqual([
      { title: 'Open 443', link: '/approvals/proposals/Open%20443' },
    ]);
    // The overdue verify is listed first.
    expect(summary.items[4].detail).toBe('1 overdue');
    expect(summary.items[4].links?.map(p => p.title)).toEqual([
      'Quota raise',
      'Zone',
      'Bucket',
    ]);
    expect(summary.items[5].detail).toBe('project-birds');
  });

  it('shows no verify as urgent when none is overdue', () => {
    const summary = forOperator(
      'Olivia Operator',
      page([], { applied: 1 }),
      [proposal('Zone', 'applied')],
      overview('platform', {}),
      [],
    );
    expect(summary.items[4]).toMatchObject({
      count: 1,
      detail: undefined,
      links: [{ title: 'Zone', link: '/approvals/proposals/Zone' }],
      urgent: false,
    });
  });

  it("gives a tenant their tenants' open proposals, their drift and their evidence", () => {
    const summary = forTenant(
      'Bea Birds',
      page(
        [
          proposal('Open 443', 'in-review'),
          proposal('Old', 'rejected'),
          proposal('Applied', 'applied'),
        ],
        { 'in-review': 1, submitted: 2, rejected: 4, applied: 1 },
      ),
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
      ["Your tenants' open proposals", 3, false],
      ['Drift in your tenants (FAIL or WARN)', 1, false],
      ['Evidence packets of your tenants', 4, false],
    ]);
    expect(summary.items[0].links).toEqual([
      {
        title: 'Open 443 (in-review)',
        link: '/approvals/proposals/Open%20443',
      },
    ]);
  });
});
