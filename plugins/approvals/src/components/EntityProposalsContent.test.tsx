import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { approvalsApiRef } from '../api/ApprovalsApi';
import { rootRouteRef } from '../routes';
import {
  fakeApprovalsApi,
  makeProposal,
  pageOf,
} from '../__testUtils__/fakeApprovalsApi';
import { EntityProposalsContent } from './EntityProposalsContent';

// Rendering a whole test app takes seconds on a loaded 2-core CI machine.
jest.setTimeout(30_000);

const tenant = {
  apiVersion: 'fabric.samakia.io/v1alpha1',
  kind: 'Tenant',
  metadata: { name: 'project-birds', namespace: 'default' },
  spec: {},
};

describe('EntityProposalsContent', () => {
  it("lists the tenant's proposals and links to the Approvals page filtered by it", async () => {
    const api = fakeApprovalsApi({
      listProposals: jest.fn(async () =>
        pageOf([makeProposal({ title: 'Bind birds-api to postgres' })], {
          total: 30,
        }),
      ),
    });
    renderInTestApp(
      <EntityProvider entity={tenant}>
        <EntityProposalsContent />
      </EntityProvider>,
      {
        mountedRoutes: {
          '/approvals': rootRouteRef,
          '/catalog/:namespace/:kind/:name': entityRouteRef,
        },
        apis: [[approvalsApiRef, api]],
      },
    );

    const table = await screen.findByRole(
      'table',
      { name: 'Proposals' },
      { timeout: 10_000 },
    );
    expect(
      within(table).getByRole('link', { name: 'Bind birds-api to postgres' }),
    ).toHaveAttribute('href', `/approvals/proposals/${makeProposal().id}`);
    // The tenant column is left out on the tenant's own page.
    expect(within(table).queryByText('Tenant')).toBeNull();
    expect(api.listProposals).toHaveBeenCalledWith({
      tenant: 'tenant:default/project-birds',
      limit: 25,
      offset: 0,
    });
    // The tab pages on the server too.
    expect(screen.getByText('1–25 of 30')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: /next page/i }));
    await waitFor(() =>
      expect(api.listProposals).toHaveBeenLastCalledWith({
        tenant: 'tenant:default/project-birds',
        limit: 25,
        offset: 25,
      }),
    );
    expect(
      screen.getByRole('link', { name: /Open in Approvals/ }),
    ).toHaveAttribute(
      'href',
      '/approvals?view=all&tenant=tenant%3Adefault%2Fproject-birds',
    );
  });
});
