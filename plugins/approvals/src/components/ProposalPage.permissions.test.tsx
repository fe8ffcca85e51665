import { act, screen, waitFor } from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  AuthorizeResult,
  type EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  fakeApprovalsApi,
  makeProposal,
  makeView,
} from '../__testUtils__/fakeApprovalsApi';
import { renderProposal } from '../__testUtils__/renderProposal';
import { approvalsApiRef } from '../api/ApprovalsApi';
import {
  SigningKeyPanel,
  signingKeysApiRef,
  type SigningKeysApi,
} from '@internal/plugin-fabric-react';
import { AuditVerifyPanel } from './AuditVerifyPanel';

// Rendering a whole test app takes seconds on a loaded 2-core CI machine.
jest.setTimeout(30_000);

// A file of its own: usePermission caches answers per module, so a denying policy must not share
// a module registry with the tests that allow everything.
describe('ProposalPage without permissions', () => {
  it('offers no action and says so', async () => {
    const authorize = jest.fn(
      (_request: EvaluatePermissionRequest): AuthorizeResult.DENY =>
        AuthorizeResult.DENY,
    );
    renderProposal(fakeApprovalsApi(), { authorize });

    expect(
      await screen.findByTestId('proposal-no-actions', {}, { timeout: 10_000 }),
    ).toHaveTextContent(
      'No action of yours is open on this proposal in state in-review',
    );
    for (const name of [
      'Claim',
      'Approve',
      'Reject',
      'Withdraw',
      'Mark applied',
    ]) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
    const asked = authorize.mock.calls.map(([r]) => ({
      name: r.permission.name,
      resourceRef: 'resourceRef' in r ? r.resourceRef : undefined,
    }));
    expect(asked).toEqual(
      expect.arrayContaining([
        { name: 'approvals.proposal.claim', resourceRef: undefined },
        { name: 'approvals.proposal.approve', resourceRef: undefined },
        { name: 'approvals.proposal.reject', resourceRef: undefined },
        { name: 'approvals.proposal.apply', resourceRef: undefined },
        // Withdraw is tenant-scoped, so it is asked about this proposal.
        {
          name: 'approvals.proposal.withdraw',
          resourceRef: makeProposal().id,
        },
      ]),
    );
  });
});

describe('an applied proposal without the apply permission (a tenant, CI)', () => {
  it('offers neither verify nor roll back', async () => {
    const api = fakeApprovalsApi({
      getProposal: jest.fn(async () =>
        makeView({ proposal: makeProposal({ state: 'applied' }) }),
      ),
    });
    renderProposal(api, { authorize: () => AuthorizeResult.DENY });
    expect(
      await screen.findByTestId('proposal-no-actions', {}, { timeout: 10_000 }),
    ).toHaveTextContent('in state applied');
    for (const name of ['Verify', 'Roll back', 'Mark applied']) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
  });
});

describe('operator panels without permissions', () => {
  it('are not shown', async () => {
    const api = fakeApprovalsApi();
    const keys: SigningKeysApi = {
      listMine: jest.fn(async () => []),
      createChallenge: jest.fn(),
      register: jest.fn(),
      revokeMine: jest.fn(),
    };
    const authorize = jest.fn((): AuthorizeResult.DENY => AuthorizeResult.DENY);
    renderInTestApp(
      <div>
        <SigningKeyPanel />
        <AuditVerifyPanel />
        <span>rendered</span>
      </div>,
      {
        apis: [
          [approvalsApiRef, api],
          [signingKeysApiRef, keys],
          mockApis.permission({ authorize }),
        ],
      },
    );
    expect(
      await screen.findByText('rendered', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    await waitFor(() => expect(authorize).toHaveBeenCalledTimes(2));
    // Let the permission answers reach the components before looking.
    await act(async () => {
      await new Promise(resolve => setTimeout(resolve, 50));
    });
    expect(screen.queryByText('Signing key')).toBeNull();
    expect(
      screen.queryByRole('button', { name: 'Verify audit chain' }),
    ).toBeNull();
    expect(keys.listMine).not.toHaveBeenCalled();
  });
});
