import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ProposalPage } from '@internal/plugin-approvals-common';
import { signingKeysApiRef } from '@internal/plugin-fabric-react';
import { approvalsApiRef, ProposalListFilter } from '../api/ApprovalsApi';
import { rootRouteRef } from '../routes';
import {
  fakeApprovalsApi,
  makeProposal,
  OPERATOR,
  pageOf,
} from '../__testUtils__/fakeApprovalsApi';
import { ApprovalsPage } from './ApprovalsPage';

jest.setTimeout(30_000);

const toReview = makeProposal({
  id: '11111111-1111-4111-8111-111111111111',
  title: 'Raise birds capacity',
  type: 'capacity-change',
  change: { quotas: {} },
  state: 'validated',
});
const mine = makeProposal({
  id: '22222222-2222-4222-8222-222222222222',
  title: 'Bind orchard-web to redis',
  tenant: 'tenant:default/project-orchard',
  requester: OPERATOR,
  state: 'approved',
});
const old = makeProposal({
  id: '33333333-3333-4333-8333-333333333333',
  title: 'Old harbor binding',
  tenant: 'tenant:default/project-harbor',
  state: 'applied',
});

/** The backend's views, answered from three fixed proposals. */
function listing(filter: ProposalListFilter = {}): ProposalPage {
  let items = [toReview, mine, old];
  if (filter.view === 'review') items = [toReview];
  if (filter.view === 'requested') items = [mine];
  if (filter.state) items = items.filter(p => p.state === filter.state);
  if (filter.tenant) items = items.filter(p => p.tenant === filter.tenant);
  return pageOf(items, {
    counts: {
      byState: { validated: 1, approved: 1, applied: 1 },
      waitingForMe: 1,
    },
  });
}

const catalogEntities = [
  {
    apiVersion: 'fabric.samakia.io/v1alpha1',
    kind: 'Tenant',
    metadata: { name: 'project-birds', namespace: 'default', title: 'Birds' },
    spec: {},
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'samakia-prod', namespace: 'default' },
    spec: { type: 'environment' },
  },
];

function renderPage(
  api: ReturnType<typeof fakeApprovalsApi>,
  allow: boolean = true,
) {
  return renderInTestApp(<ApprovalsPage />, {
    mountPath: '/approvals',
    initialRouteEntries: ['/approvals'],
    mountedRoutes: {
      '/approvals': rootRouteRef,
      '/catalog/:namespace/:kind/:name': entityRouteRef,
    },
    apis: [
      [approvalsApiRef, api],
      [
        signingKeysApiRef,
        {
          listMine: async () => [],
          createChallenge: jest.fn(),
          register: jest.fn(),
          revokeMine: jest.fn(),
        },
      ],
      [catalogApiRef, catalogApiMock({ entities: catalogEntities })],
      mockApis.identity({ userEntityRef: OPERATOR }),
      mockApis.permission({
        authorize: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      }),
    ],
  });
}

function rowTitles() {
  const table = screen.getByRole('table', { name: 'Proposals' });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(r => within(r).getAllByRole('cell')[0].textContent);
}

describe('ApprovalsPage queue', () => {
  it('lists what waits for review, then my requests, then everything', async () => {
    const api = fakeApprovalsApi({
      listProposals: jest.fn(async (f?: ProposalListFilter) => listing(f)),
    });
    renderPage(api);

    await screen.findByText('Raise birds capacity', {}, { timeout: 10_000 });
    expect(rowTitles()).toEqual(['Raise birds capacity']);
    expect(api.listProposals).toHaveBeenLastCalledWith({
      view: 'review',
      tenant: undefined,
      environment: undefined,
      state: undefined,
      type: undefined,
      q: undefined,
      limit: 25,
      offset: 0,
    });
    // The tab carries the backend's count of what waits for me.
    expect(
      screen.getByRole('tab', { name: 'Waiting for me (1)' }),
    ).toBeInTheDocument();
    // Title links to the proposal view in this tab (a router link, no new window).
    const row = screen.getByRole('link', { name: 'Raise birds capacity' });
    expect(row).toHaveAttribute(
      'href',
      '/approvals/proposals/11111111-1111-4111-8111-111111111111',
    );
    expect(row).not.toHaveAttribute('target');
    const table = screen.getByRole('table', { name: 'Proposals' });
    expect(within(table).getByText('capacity-change')).toBeInTheDocument();
    expect(within(table).getByText('validated')).toBeInTheDocument();
    expect(within(table).getByText('2026-11-20 09:30 UTC')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('tab', { name: 'My requests' }));
    await screen.findByText('Bind orchard-web to redis');
    expect(rowTitles()).toEqual(['Bind orchard-web to redis']);
    expect(api.listProposals).toHaveBeenLastCalledWith(
      expect.objectContaining({ view: 'requested' }),
    );

    await userEvent.click(screen.getByRole('tab', { name: 'All' }));
    await waitFor(() =>
      expect(rowTitles()).toEqual([
        'Raise birds capacity',
        'Bind orchard-web to redis',
        'Old harbor binding',
      ]),
    );
    expect(api.listProposals).toHaveBeenLastCalledWith(
      expect.objectContaining({ view: undefined }),
    );
  });

  it('shows a title spelled with a right-to-left override as it is, not as exe.png', async () => {
    // U+202E reverses what follows: unmarked, this title displays as "invoice-exe.png".
    const spoofed = makeProposal({
      ...toReview,
      title: 'invoice-\u202Egnp.exe',
    });
    const api = fakeApprovalsApi({
      listProposals: jest.fn(async () => pageOf([spoofed])),
    });
    renderPage(api);
    const link = await screen.findByRole(
      'link',
      { name: 'invoice-<U+202E>gnp.exe' },
      { timeout: 10_000 },
    );
    expect(link.textContent).not.toContain('\u202E');
    expect(link.querySelector('bdi')).not.toBeNull();
  });

  it('filters by state and tenant through the backend query', async () => {
    const api = fakeApprovalsApi({
      listProposals: jest.fn(async (f?: ProposalListFilter) => listing(f)),
    });
    renderPage(api);
    await userEvent.click(
      await screen.findByRole('tab', { name: 'All' }, { timeout: 10_000 }),
    );
    await screen.findByText('Old harbor binding');

    await userEvent.click(screen.getByLabelText('State'));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByRole('option', {
        name: 'applied (1)',
      }),
    );
    await waitFor(() => expect(rowTitles()).toEqual(['Old harbor binding']));
    expect(api.listProposals).toHaveBeenLastCalledWith(
      expect.objectContaining({ state: 'applied' }),
    );

    await userEvent.click(screen.getByLabelText('State'));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByRole('option', { name: 'Any' }),
    );
    // Tenant options come from the catalog, by title; the query carries the entity ref.
    await userEvent.click(screen.getByLabelText('Tenant'));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByRole('option', {
        name: 'Birds',
      }),
    );
    await waitFor(() => expect(rowTitles()).toEqual(['Raise birds capacity']));
    expect(api.listProposals).toHaveBeenLastCalledWith(
      expect.objectContaining({
        tenant: 'tenant:default/project-birds',
        state: undefined,
      }),
    );
  });

  it('pages on the server and searches through the backend query', async () => {
    const many = Array.from({ length: 25 }, (_, i) =>
      makeProposal({ ...toReview, id: `id-${i}`, title: `Proposal ${i}` }),
    );
    const api = fakeApprovalsApi({
      listProposals: jest.fn(async (f?: ProposalListFilter) =>
        pageOf(many, { total: 60, offset: f?.offset ?? 0 }),
      ),
    });
    renderPage(api);
    await screen.findByText('Proposal 0', {}, { timeout: 10_000 });
    expect(screen.getByText('1–25 of 60')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: /next page/i }));
    await waitFor(() =>
      expect(api.listProposals).toHaveBeenLastCalledWith(
        expect.objectContaining({ offset: 25, limit: 25 }),
      ),
    );
    await screen.findByText('26–50 of 60');

    // A search goes to the backend and starts again at the first page.
    const search = screen.getByLabelText('Search title, tenant or id');
    await userEvent.type(search, 'birds{Enter}');
    await waitFor(() =>
      expect(api.listProposals).toHaveBeenLastCalledWith(
        expect.objectContaining({ q: 'birds', offset: 0 }),
      ),
    );

    await userEvent.click(screen.getByLabelText('Type'));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByRole('option', {
        name: 'capacity-change',
      }),
    );
    await waitFor(() =>
      expect(api.listProposals).toHaveBeenLastCalledWith(
        expect.objectContaining({ q: 'birds', type: 'capacity-change' }),
      ),
    );
  });

  it('shows the backend error instead of an empty queue', async () => {
    const api = fakeApprovalsApi({
      listProposals: jest.fn(async () => {
        throw new Error('tenant: "x y" is not an entity reference');
      }),
    });
    renderPage(api);
    expect(
      await screen.findByText(
        /is not an entity reference/,
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Proposals' })).toBeNull();
  });
});
