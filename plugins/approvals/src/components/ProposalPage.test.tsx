import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import {
  DIGEST,
  fakeApprovalsApi,
  makeProposal,
  makeView,
  OPERATOR,
  REQUESTER,
} from '../__testUtils__/fakeApprovalsApi';
import { renderProposal } from '../__testUtils__/renderProposal';
import { availableActions } from './ProposalPage';

// Dialog tests type into MUI fields inside a full test app, which is slow on a 2-core machine.
jest.setTimeout(30_000);

/** What the client throws for a backend's error answer: a ResponseError with the backend's body. */
const backendError = (statusCode: number, name: string, message: string) =>
  ResponseError.fromResponse(
    new Response(
      JSON.stringify({ error: { name, message }, response: { statusCode } }),
      { status: statusCode, headers: { 'Content-Type': 'application/json' } },
    ),
  );

const ID = makeProposal().id;
const SIGNATURE =
  '-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEE\n-----END PGP SIGNATURE-----';

describe('ProposalPage', () => {
  it('shows validation problems, gate reasons, decisions, the digest and the audit trail', async () => {
    const proposal = makeProposal({
      state: 'in-review',
      validation: {
        ok: false,
        checkedAt: '2026-11-20T09:30:01.000Z',
        problems: [
          {
            path: 'change.binding.consumer',
            message:
              "'mongo' is not one of this tenant's consumers (postgres); add a consumer with that provider or fix the name",
          },
        ],
      },
    });
    const api = fakeApprovalsApi({
      getProposal: jest.fn(async () =>
        makeView({
          proposal,
          decisions: [
            {
              id: 'd1',
              proposalId: proposal.id,
              kind: 'approval',
              actor: 'user:default/ops.two',
              decidedAt: '2026-11-20T10:00:00.000Z',
              expiresAt: '2026-11-21T10:00:00.000Z',
              signingKeyFingerprint: 'FEEDFACE00112233',
              overrideReason: 'urgent capacity for the outage',
              overrideTrackingRef: 'OPS-77',
            },
          ],
          claim: {
            proposalId: proposal.id,
            claimant: 'user:default/ops.two',
            claimedAt: '2026-11-20T09:45:00.000Z',
            expiresAt: '2026-11-20T10:45:00.000Z',
          },
        }),
      ),
    });
    renderProposal(api);

    expect(
      await screen.findByText(
        'change.binding.consumer',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/'mongo' is not one of this tenant's consumers/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Failed, checked 2026-11-20 09:30 UTC/),
    ).toBeInTheDocument();

    expect(screen.getByTestId('gate-verdict')).toHaveTextContent('Blocked');
    const reasons = screen.getByRole('list', { name: 'Gate reasons' });
    expect(within(reasons).getByText('missing-approvals')).toBeInTheDocument();
    expect(
      within(reasons).getByText(/needs 2 approvals, has 0/),
    ).toBeInTheDocument();

    expect(screen.getByTestId('proposal-digest')).toHaveTextContent(DIGEST);
    expect(screen.getByTestId('proposal-sign-command')).toHaveTextContent(
      `printf %s ${DIGEST} | gpg --armor --detach-sign`,
    );
    expect(screen.getByText('FEEDFACE00112233')).toBeInTheDocument();
    expect(
      screen.getByText('urgent capacity for the outage (OPS-77)'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('proposal-claim')).toHaveTextContent(
      'Claimed by user:default/ops.two',
    );
    expect(screen.getByTestId('change-summary')).toHaveTextContent(
      'Add binding: workload birds-api → consumer postgres at pg.birds.internal:5432 in samakia-prod',
    );

    const audit = await screen.findByRole('table', { name: 'Audit trail' });
    expect(within(audit).getByText('proposal.submitted')).toBeInTheDocument();
    expect(within(audit).getByText('proposal.validated')).toBeInTheDocument();
    expect(within(audit).getAllByText('decade222222…')).toHaveLength(1);
    expect(api.getAudit).toHaveBeenCalledWith(ID);
  });

  it('requires a signature when the rules say so and sends the approval body', async () => {
    const api = fakeApprovalsApi();
    renderProposal(api);

    await userEvent.click(
      await screen.findByRole(
        'button',
        { name: 'Approve' },
        { timeout: 10_000 },
      ),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText(
        `printf %s ${DIGEST} | gpg --armor --detach-sign`,
      ),
    ).toBeInTheDocument();
    await userEvent.type(
      within(dialog).getByLabelText('Comment'),
      'Looks right',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Signature: is required for this environment',
    );
    expect(api.approve).not.toHaveBeenCalled();

    // A textarea keeps newlines; paste rather than type so they arrive as they are.
    await userEvent.click(within(dialog).getByLabelText(/Armored signature/));
    await userEvent.paste(SIGNATURE);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );

    await waitFor(() =>
      expect(api.approve).toHaveBeenCalledWith(ID, {
        comment: 'Looks right',
        signature: SIGNATURE,
      }),
    );
    // The view is fetched again after the action, and the dialog closes.
    await waitFor(() => expect(api.getProposal).toHaveBeenCalledTimes(2));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('sends an override only with its reason and tracking reference', async () => {
    const api = fakeApprovalsApi({
      getProposal: jest.fn(async () =>
        makeView({
          rules: {
            production: false,
            requiredApprovals: 1,
            requireSignature: false,
            approvalTtlMs: 3_600_000,
          },
        }),
      ),
    });
    renderProposal(api);

    await userEvent.click(
      await screen.findByRole(
        'button',
        { name: 'Approve' },
        { timeout: 10_000 },
      ),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByLabelText(/Override the change window/),
    );
    await userEvent.type(
      within(dialog).getByLabelText(/Override reason/),
      'hotfix',
    );
    await userEvent.type(
      within(dialog).getByLabelText(/Override tracking reference/),
      'ops 12',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Override tracking reference: must be a tracking task such as OPS-123',
    );
    expect(api.approve).not.toHaveBeenCalled();

    await userEvent.clear(
      within(dialog).getByLabelText(/Override tracking reference/),
    );
    await userEvent.type(
      within(dialog).getByLabelText(/Override tracking reference/),
      'OPS-12',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    await waitFor(() =>
      expect(api.approve).toHaveBeenCalledWith(ID, {
        override: { reason: 'hotfix', trackingRef: 'OPS-12' },
      }),
    );
  });

  it('shows the backend refusal (409) in the dialog and keeps it open', async () => {
    const message =
      'Proposal 0b6f4d1e-5a3c-4e59-9d0a-6f1f6a2b7c01 is claimed by user:default/ops.two until 2026-11-20T10:45:00.000Z';
    const api = fakeApprovalsApi({
      reject: jest.fn(async () => {
        throw await backendError(409, 'ConflictError', message);
      }),
    });
    renderProposal(api);

    await userEvent.click(
      await screen.findByRole(
        'button',
        { name: 'Reject' },
        { timeout: 10_000 },
      ),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reject' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Reason: is required; say why the change is rejected',
    );
    expect(api.reject).not.toHaveBeenCalled();

    await userEvent.type(
      within(dialog).getByLabelText(/Reason/),
      'wrong endpoint',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reject' }),
    );
    await waitFor(() =>
      expect(within(dialog).getByRole('alert')).toHaveTextContent(message),
    );
    expect(api.reject).toHaveBeenCalledWith(ID, { reason: 'wrong endpoint' });
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(api.getProposal).toHaveBeenCalledTimes(1);
  });

  it('offers the requester no review actions, only withdraw', async () => {
    const api = fakeApprovalsApi();
    renderProposal(api, { viewer: REQUESTER });
    expect(
      await screen.findByRole(
        'button',
        { name: 'Withdraw' },
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Claim' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Reject' }),
    ).not.toBeInTheDocument();
  });
});

describe('availableActions', () => {
  const all = {
    claim: true,
    approve: true,
    reject: true,
    withdraw: true,
    apply: true,
    verify: true,
    rollback: true,
  };
  const now = new Date('2026-11-20T10:00:00.000Z');

  it('offers review actions on open proposals to others than the requester', () => {
    expect(availableActions(makeView(), OPERATOR, all, now)).toEqual([
      'claim',
      'approve',
      'reject',
      'withdraw',
    ]);
  });

  it('drops claim and approve once the viewer approved, and claim while the viewer holds the lease', () => {
    const view = makeView();
    const claimed = {
      ...view,
      claim: {
        proposalId: view.proposal.id,
        claimant: OPERATOR,
        claimedAt: '2026-11-20T09:50:00.000Z',
        expiresAt: '2026-11-20T10:50:00.000Z',
      },
    };
    expect(availableActions(claimed, OPERATOR, all, now)).toEqual([
      'approve',
      'reject',
      'withdraw',
    ]);
    const approved = {
      ...view,
      decisions: [
        {
          id: 'd1',
          proposalId: view.proposal.id,
          kind: 'approval' as const,
          actor: OPERATOR,
          decidedAt: '2026-11-20T09:55:00.000Z',
        },
      ],
    };
    expect(availableActions(approved, OPERATOR, all, now)).toEqual([
      'reject',
      'withdraw',
    ]);
  });

  it('offers mark applied only on approved proposals and nothing on terminal ones', () => {
    const approved = makeView({
      proposal: makeProposal({ state: 'approved' }),
    });
    expect(availableActions(approved, OPERATOR, all, now)).toEqual([
      'withdraw',
      'apply',
    ]);
    expect(
      availableActions(
        approved,
        OPERATOR,
        { ...all, apply: false, withdraw: false },
        now,
      ),
    ).toEqual([]);
    for (const state of ['verified', 'rolled-back', 'rejected'] as const) {
      const done = makeView({ proposal: makeProposal({ state }) });
      expect(availableActions(done, OPERATOR, all, now)).toEqual([]);
    }
  });

  it('offers verify and roll back on an applied proposal, only with the apply permission', () => {
    const applied = makeView({ proposal: makeProposal({ state: 'applied' }) });
    expect(availableActions(applied, OPERATOR, all, now)).toEqual([
      'verify',
      'rollback',
    ]);
    // Tenants and CI do not hold the apply permission: nothing to offer.
    expect(
      availableActions(
        applied,
        OPERATOR,
        { ...all, apply: false, verify: false, rollback: false },
        now,
      ),
    ).toEqual([]);
  });
});
