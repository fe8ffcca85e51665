import { useState } from 'react';
import { useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import {
  Content,
  Header,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import {
  identityApiRef,
  useApi,
  useRouteRef,
} from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Grid from '@mui/material/Grid';
import Typography from '@mui/material/Typography';
import {
  approvalsProposalApplyPermission,
  approvalsProposalApprovePermission,
  approvalsProposalClaimPermission,
  approvalsProposalRejectPermission,
  approvalsProposalWithdrawPermission,
  canRunCommand,
  REVIEWABLE_STATES,
  type ProposalView,
} from '@internal/plugin-approvals-common';
import { approvalsApiRef } from '../api/ApprovalsApi';
import { rootRouteRef } from '../routes';
import {
  ActionKind,
  ApplyDialog,
  ApproveDialog,
  ClaimDialog,
  RejectDialog,
  WithdrawDialog,
} from './ActionDialogs';
import { RollbackDialog, VerifyDialog } from './AfterApplyDialogs';
import {
  AuditCard,
  ChangeCard,
  DecisionsCard,
  EvidenceCard,
  GateCard,
  OverviewCard,
  ValidationCard,
} from './ProposalCards';
import {
  errorMessage,
  shortRef,
  showInvisibleCharacters,
  StateChip,
} from './common';

/**
 * Which actions to offer: the permission says whether the viewer may ever take the action, the
 * state and the two-person rule say whether it makes sense now. The backend decides for real.
 */
export function availableActions(
  view: ProposalView,
  viewer: string | undefined,
  allowed: Record<ActionKind, boolean>,
  now: Date = new Date(),
): ActionKind[] {
  const { proposal, decisions, claim } = view;
  // The state rules are approvals-common's, the same the backend enforces.
  const open = REVIEWABLE_STATES.includes(proposal.state);
  const isRequester = viewer !== undefined && viewer === proposal.requester;
  const approvedByViewer = decisions.some(
    d => d.kind === 'approval' && d.actor === viewer,
  );
  const claimedByViewer =
    !!claim && claim.claimant === viewer && new Date(claim.expiresAt) > now;
  const actions: ActionKind[] = [];
  if (
    allowed.claim &&
    open &&
    !isRequester &&
    !approvedByViewer &&
    !claimedByViewer
  ) {
    actions.push('claim');
  }
  if (allowed.approve && open && !isRequester && !approvedByViewer) {
    actions.push('approve');
  }
  if (allowed.reject && open && !isRequester) actions.push('reject');
  if (allowed.withdraw && canRunCommand('withdraw', proposal.state)) {
    actions.push('withdraw');
  }
  if (allowed.apply && canRunCommand('apply', proposal.state)) {
    actions.push('apply');
  }
  // After apply the operator verifies or records a rollback (the apply permission).
  if (allowed.verify && canRunCommand('verify', proposal.state)) {
    actions.push('verify');
  }
  if (allowed.rollback && canRunCommand('rollback', proposal.state)) {
    actions.push('rollback');
  }
  return actions;
}

const ACTION_LABELS: Record<ActionKind, string> = {
  claim: 'Claim',
  approve: 'Approve',
  reject: 'Reject',
  withdraw: 'Withdraw',
  apply: 'Mark applied',
  verify: 'Verify',
  rollback: 'Roll back',
};

function useAllowedActions(id: string): {
  allowed: Record<ActionKind, boolean>;
  loading: boolean;
} {
  const claim = usePermission({ permission: approvalsProposalClaimPermission });
  const approve = usePermission({
    permission: approvalsProposalApprovePermission,
  });
  const reject = usePermission({
    permission: approvalsProposalRejectPermission,
  });
  // Withdraw is tenant-scoped (the requester's own tenant), so it is asked about this proposal.
  const withdraw = usePermission({
    permission: approvalsProposalWithdrawPermission,
    resourceRef: id,
  });
  const apply = usePermission({ permission: approvalsProposalApplyPermission });
  return {
    allowed: {
      claim: claim.allowed,
      approve: approve.allowed,
      reject: reject.allowed,
      withdraw: withdraw.allowed,
      apply: apply.allowed,
      verify: apply.allowed,
      rollback: apply.allowed,
    },
    loading: [claim, approve, reject, withdraw, apply].some(p => p.loading),
  };
}

const DIALOGS = {
  claim: ClaimDialog,
  approve: ApproveDialog,
  reject: RejectDialog,
  withdraw: WithdrawDialog,
  apply: ApplyDialog,
  verify: VerifyDialog,
  rollback: RollbackDialog,
};

/** One proposal: what is asked, what was checked and decided, and the actions left to take. */
export function ProposalPage() {
  const { id = '' } = useParams();
  const api = useApi(approvalsApiRef);
  const identityApi = useApi(identityApiRef);
  const rootLink = useRouteRef(rootRouteRef);
  const [reload, setReload] = useState(0);
  const [dialog, setDialog] = useState<ActionKind>();

  const view = useAsync(() => api.getProposal(id), [api, id, reload]);
  const viewer = useAsync(
    async () => (await identityApi.getBackstageIdentity()).userEntityRef,
    [identityApi],
  );
  const permissions = useAllowedActions(id);

  const actions = view.value
    ? availableActions(view.value, viewer.value, permissions.allowed)
    : [];
  const settled = !!view.value && !permissions.loading && !viewer.loading;
  const Dialog = dialog ? DIALOGS[dialog] : undefined;

  return (
    <Page themeId="tool">
      <Header
        title={
          view.value
            ? showInvisibleCharacters(view.value.proposal.title)
            : 'Proposal'
        }
        subtitle={
          view.value
            ? `${view.value.proposal.type} for ${shortRef(
                view.value.proposal.tenant,
              )} in ${shortRef(
                view.value.proposal.environment,
              )}, requested by ${shortRef(view.value.proposal.requester)}`
            : id
        }
        type="Approvals"
        typeLink={rootLink?.()}
      >
        {view.value && <StateChip state={view.value.proposal.state} />}
      </Header>
      <Content>
        {view.loading && !view.value && <Progress />}
        {view.error && (
          <WarningPanel
            severity="error"
            title="Could not load the proposal"
            message={errorMessage(view.error)}
          />
        )}
        {view.value && (
          <Grid container spacing={3}>
            {view.value.proposal.state === 'applied' &&
              view.value.proposal.verifyOverdueAt && (
                <Grid item xs={12}>
                  <WarningPanel
                    severity="warning"
                    title="Verify overdue"
                    message={`Applied at ${view.value.proposal.appliedAt}; no verify or rollback since. Overdue since ${view.value.proposal.verifyOverdueAt}: verify it with a packet or record its rollback.`}
                  />
                </Grid>
              )}
            {settled && actions.length === 0 && (
              <Grid item xs={12}>
                <Typography
                  variant="body2"
                  color="text.secondary"
                  data-testid="proposal-no-actions"
                >
                  No action of yours is open on this proposal in state{' '}
                  {view.value.proposal.state}.
                </Typography>
              </Grid>
            )}
            {actions.length > 0 && (
              <Grid item xs={12}>
                <Box display="flex" style={{ gap: 8 }}>
                  {actions.map(a => (
                    <Button
                      key={a}
                      variant={
                        a === 'approve' || a === 'apply' || a === 'verify'
                          ? 'contained'
                          : 'outlined'
                      }
                      color={
                        a === 'reject' || a === 'withdraw' || a === 'rollback'
                          ? 'secondary'
                          : 'primary'
                      }
                      onClick={() => setDialog(a)}
                    >
                      {ACTION_LABELS[a]}
                    </Button>
                  ))}
                </Box>
              </Grid>
            )}
            <Grid item xs={12} md={6}>
              <OverviewCard view={view.value} />
            </Grid>
            <Grid item xs={12} md={6}>
              <GateCard view={view.value} />
              <Box mt={3}>
                <ValidationCard view={view.value} />
              </Box>
            </Grid>
            <Grid item xs={12} md={6}>
              <ChangeCard view={view.value} />
            </Grid>
            <Grid item xs={12} md={6}>
              <EvidenceCard view={view.value} />
            </Grid>
            <Grid item xs={12}>
              <DecisionsCard view={view.value} />
            </Grid>
            <Grid item xs={12}>
              <AuditCard id={id} reload={reload} />
            </Grid>
          </Grid>
        )}
        {Dialog && view.value && (
          <Dialog
            view={view.value}
            onClose={() => setDialog(undefined)}
            onDone={() => {
              setDialog(undefined);
              setReload(r => r + 1);
            }}
          />
        )}
      </Content>
    </Page>
  );
}
