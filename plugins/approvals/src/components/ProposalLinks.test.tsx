import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { makeProposal, makeView } from '../__testUtils__/fakeApprovalsApi';
import { EvidenceCard } from './EvidenceAuditCards';
import { OverviewCard } from './ProposalCards';

jest.setTimeout(30_000);

const PACKET = '22222222-2222-4222-8222-222222222222';

describe('links from a proposal to the other pieces', () => {
  it('opens its packets, its scaffolder task and its drift in this tab; outside links in a new one', async () => {
    const view = makeView({
      proposal: makeProposal({
        packets: [{ packetId: PACKET, kind: 'plan' }],
        evidence: [
          {
            title: 'Scaffolder task',
            url: `${window.location.origin}/create/tasks/task-1`,
          },
          { title: 'CI job', url: 'https://ci.example/job/7' },
        ],
      }),
    });
    await renderInTestApp(
      <>
        <OverviewCard view={view} />
        <EvidenceCard view={view} />
      </>,
      {
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
        config: {
          approvals: { runbooks: { 'binding-change': 'tenant-onboarding' } },
        },
      },
    );

    const packet = screen.getByRole('link', { name: PACKET });
    expect(packet).toHaveAttribute('href', `/evidence/packets/${PACKET}`);
    expect(packet).not.toHaveAttribute('target');

    const task = screen.getByRole('link', { name: 'Scaffolder task' });
    expect(task).toHaveAttribute('href', '/create/tasks/task-1');
    expect(task).not.toHaveAttribute('target');

    const ci = screen.getByRole('link', { name: /CI job/ });
    expect(ci).toHaveAttribute('href', 'https://ci.example/job/7');
    expect(ci).toHaveAttribute('target', '_blank');

    const drift = screen.getByRole('link', {
      name: 'Drift runs of project-birds in samakia-prod',
    });
    expect(drift).toHaveAttribute(
      'href',
      '/catalog/default/tenant/project-birds/drift?environment=samakia-prod',
    );
    // The runbook configured for its type.
    expect(
      screen.getByRole('link', { name: 'tenant-onboarding' }),
    ).toHaveAttribute('href', '/docs/default/resource/tenant-onboarding');
  });
});
