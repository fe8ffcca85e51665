import { ReactNode, useState } from 'react';
import { useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import {
  Content,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import {
  identityApiRef,
  useApi,
  useRouteRef,
} from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Box,
  Button,
  Grid,
  Table as MuiTable,
  TableBody,
  TableCell,
  TableRow,
  Typography,
} from '@material-ui/core';
import {
  approvalsProposalApplyPermission,
  approvalsProposalApprovePermission,
  approvalsProposalClaimPermission,
  approvalsProposalRejectPermission,
  approvalsProposalWithdrawPermission,
  type AuditRecord,
  type Decision,
  type ProposalState,
  type ProposalView,
} from '@internal/plugin-approvals-common';
import { approvalsApiRef } from '../api/ApprovalsApi';
import { rootRouteRef } from '../routes';
import {
  ActionKind,
  ApplyDialog,
  ApproveDialog,
  ClaimDialog,
  formatDuration,
  RejectDialog,
  WithdrawDialog,
} from './ActionDialogs';
import { ChangeSummary } from './ChangeSummary';
import { DigestBox } from './DigestBox';
import {
  ActorRef,
  errorMessage,
  formatTime,
  Mono,
  shortHash,
  shortRef,
  showInvisibleCharacters,
  UserText,
  SimpleTable,
  StateChip,
} from './common';

const REVIEWABLE: ReadonlyArray<ProposalState> = ['validated', 'in-review'];
const WITHDRAWABLE: ReadonlyArray<ProposalState> = [
  'submitted',
  'validated',
  'in-review',
  'approved',
];

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
  const open = REVIEWABLE.includes(proposal.state);
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
  if (allowed.withdraw && WITHDRAWABLE.includes(proposal.state)) {
    actions.push('withdraw');
  }
  if (allowed.apply && proposal.state === 'approved') actions.push('apply');
  return actions;
}

const ACTION_LABELS: Record<ActionKind, string> = {
  claim: 'Claim',
  approve: 'Approve',
  reject: 'Reject',
  withdraw: 'Withdraw',
  apply: 'Mark applied',
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
    },
    loading: [claim, approve, reject, withdraw, apply].some(p => p.loading),
  };
}

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <MuiTable size="small">
      <TableBody>
        {rows
          .filter(([, v]) => v !== undefined && v !== null && v !== '')
          .map(([label, value]) => (
            <TableRow key={label}>
              <TableCell component="th" scope="row" style={{ width: '30%' }}>
                <Typography variant="body2" color="textSecondary">
                  {label}
                </Typography>
              </TableCell>
              <TableCell>{value}</TableCell>
            </TableRow>
          ))}
      </TableBody>
    </MuiTable>
  );
}

function OverviewCard({ view }: { view: ProposalView }) {
  const { proposal, rules } = view;
  const ref = (r?: string) =>
    r ? <EntityRefLink entityRef={r} hideIcon disableTooltip /> : undefined;
  return (
    <InfoCard title="Proposal">
      <Typography variant="body2" color="textSecondary" paragraph>
        State {proposal.state} (version {proposal.version}), updated{' '}
        {formatTime(proposal.updatedAt)}
      </Typography>
      <Facts
        rows={[
          ['Tenant', ref(proposal.tenant)],
          ['Environment', ref(proposal.environment)],
          ['Type', proposal.type],
          ['Requester', ref(proposal.requester)],
          ['Submitted', formatTime(proposal.submittedAt)],
          [
            'Change reference',
            proposal.changeRef ? <Mono>{proposal.changeRef}</Mono> : undefined,
          ],
          [
            'Supersedes',
            proposal.supersedes ? (
              <Mono>{proposal.supersedes}</Mono>
            ) : undefined,
          ],
          [
            'Superseded by',
            proposal.supersededBy ? (
              <Mono>{proposal.supersededBy}</Mono>
            ) : undefined,
          ],
          [
            'Applied',
            proposal.appliedReference
              ? `${proposal.appliedReference} at ${formatTime(
                  proposal.appliedAt,
                )}`
              : undefined,
          ],
          [
            'Rules',
            `${rules.production ? 'production' : 'non-production'}; ${
              rules.requiredApprovals
            } approval${rules.requiredApprovals === 1 ? '' : 's'} needed; ${
              rules.requireSignature
                ? 'signed approvals'
                : 'no signature needed'
            }; approvals lapse after ${formatDuration(rules.approvalTtlMs)}`,
          ],
        ]}
      />
      <Box mt={2}>
        <DigestBox digest={proposal.digest} />
      </Box>
    </InfoCard>
  );
}

function ChangeCard({ view }: { view: ProposalView }) {
  return (
    <InfoCard title="Requested change">
      <ChangeSummary proposal={view.proposal} />
      <pre
        data-testid="proposal-change-json"
        style={{ margin: 0, overflowX: 'auto', fontSize: '0.85em' }}
      >
        {showInvisibleCharacters(JSON.stringify(view.proposal.change, null, 2))}
      </pre>
    </InfoCard>
  );
}

function ValidationCard({ view }: { view: ProposalView }) {
  const validation = view.proposal.validation;
  return (
    <InfoCard title="Validation">
      {!validation && (
        <Typography color="textSecondary">Not validated yet.</Typography>
      )}
      {validation?.ok && (
        <Typography>
          Passed, checked {formatTime(validation.checkedAt)}.
        </Typography>
      )}
      {validation && !validation.ok && (
        <>
          <Typography color="error" paragraph>
            Failed, checked {formatTime(validation.checkedAt)}:{' '}
            {validation.problems.length} problem
            {validation.problems.length === 1 ? '' : 's'}.
          </Typography>
          <SimpleTable
            label="Validation problems"
            columns={[
              {
                title: 'Field',
                render: p => <Mono>{p.path || '(whole change)'}</Mono>,
              },
              { title: 'Problem', render: p => <UserText text={p.message} /> },
            ]}
            rows={validation.problems}
            rowKey={p => `${p.path}:${p.message}`}
          />
        </>
      )}
    </InfoCard>
  );
}

function EvidenceCard({ view }: { view: ProposalView }) {
  const evidence = view.proposal.evidence ?? [];
  return (
    <InfoCard title="Evidence">
      {evidence.length === 0 ? (
        <Typography color="textSecondary">No evidence linked.</Typography>
      ) : (
        <ul style={{ margin: 0, paddingLeft: 20 }}>
          {evidence.map(e => (
            <li key={e.url}>
              <Link to={e.url} target="_blank" rel="noopener noreferrer">
                <UserText text={e.title ?? e.url} />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </InfoCard>
  );
}

function DecisionsCard({ view }: { view: ProposalView }) {
  const { decisions, claim, rules } = view;
  const approvals = decisions.filter(d => d.kind === 'approval').length;
  return (
    <InfoCard title="Decisions">
      <Typography variant="body2" paragraph>
        {approvals} of {rules.requiredApprovals} approval
        {rules.requiredApprovals === 1 ? '' : 's'}.{' '}
        {claim ? (
          <span data-testid="proposal-claim">
            Claimed by {claim.claimant} since {formatTime(claim.claimedAt)},
            lease until {formatTime(claim.expiresAt)}.
          </span>
        ) : (
          <span data-testid="proposal-claim">Not claimed.</span>
        )}
      </Typography>
      <SimpleTable<Decision>
        label="Decisions"
        empty="No decisions yet."
        columns={[
          { title: 'Decision', render: d => d.kind },
          {
            title: 'By',
            render: d => <ActorRef actor={d.actor} />,
          },
          { title: 'At', render: d => formatTime(d.decidedAt) },
          { title: 'Expires', render: d => formatTime(d.expiresAt) },
          {
            title: 'Signed by key',
            render: d =>
              d.signingKeyFingerprint ? (
                <Mono>{d.signingKeyFingerprint}</Mono>
              ) : (
                'unsigned'
              ),
          },
          {
            title: 'Comment / reason',
            render: d => <UserText text={d.reason} />,
          },
          {
            title: 'Override',
            render: d =>
              d.overrideReason ? (
                <UserText
                  text={`${d.overrideReason} (${
                    d.overrideTrackingRef ?? 'no tracking ref'
                  })`}
                />
              ) : (
                ''
              ),
          },
        ]}
        rows={decisions}
        rowKey={d => d.id}
      />
    </InfoCard>
  );
}

function GateCard({ view }: { view: ProposalView }) {
  const { gate } = view;
  return (
    <InfoCard title="Gate">
      <Typography
        paragraph
        color={gate.allowed ? 'textPrimary' : 'error'}
        data-testid="gate-verdict"
      >
        {gate.allowed
          ? 'Allowed: this change may be applied now.'
          : 'Blocked: this change may not be applied now.'}{' '}
        <Typography component="span" variant="caption" color="textSecondary">
          (evaluated {formatTime(gate.evaluatedAt)})
        </Typography>
      </Typography>
      {gate.reasons.length > 0 && (
        <ul style={{ margin: 0, paddingLeft: 20 }} aria-label="Gate reasons">
          {gate.reasons.map(r => (
            <li key={`${r.code}:${r.message}`}>
              <Typography variant="body2">
                <Mono>{r.code}</Mono> {r.message}
              </Typography>
            </li>
          ))}
        </ul>
      )}
    </InfoCard>
  );
}

function AuditCard({ id, reload }: { id: string; reload: number }) {
  const api = useApi(approvalsApiRef);
  const audit = useAsync(
    async () => (await api.getAudit(id)).items,
    [api, id, reload],
  );
  return (
    <InfoCard title="Audit trail">
      {audit.loading && <Progress />}
      {audit.error && (
        <Typography color="error">{errorMessage(audit.error)}</Typography>
      )}
      {audit.value && (
        <SimpleTable<AuditRecord>
          label="Audit trail"
          empty="No audit records."
          columns={[
            { title: 'Seq', render: r => r.seq },
            { title: 'At', render: r => formatTime(r.at) },
            { title: 'Action', render: r => r.action },
            {
              title: 'Actor',
              render: r => <ActorRef actor={r.actor} />,
            },
            { title: 'Reason', render: r => <UserText text={r.reason} /> },
            {
              title: 'Hash',
              render: r => (
                <span title={r.hash}>
                  <Mono>{shortHash(r.hash)}</Mono>
                </span>
              ),
            },
            {
              title: 'Previous',
              render: r => (
                <span title={r.prevHash}>
                  <Mono>{shortHash(r.prevHash)}</Mono>
                </span>
              ),
            },
          ]}
          rows={audit.value}
          rowKey={r => r.id}
        />
      )}
    </InfoCard>
  );
}

const DIALOGS = {
  claim: ClaimDialog,
  approve: ApproveDialog,
  reject: RejectDialog,
  withdraw: WithdrawDialog,
  apply: ApplyDialog,
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
            {settled && actions.length === 0 && (
              <Grid item xs={12}>
                <Typography
                  variant="body2"
                  color="textSecondary"
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
                        a === 'approve' || a === 'apply'
                          ? 'contained'
                          : 'outlined'
                      }
                      color={
                        a === 'reject' || a === 'withdraw'
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
