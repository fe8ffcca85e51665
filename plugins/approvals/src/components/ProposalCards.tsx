import { ReactNode } from 'react';
import { InfoCard, Link } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@mui/material/Box';
import MuiTable from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import {
  type Decision,
  type ProposalView,
} from '@internal/plugin-approvals-common';
import { formatDuration } from './OverrideFields';
import { ChangeSummary } from './ChangeSummary';
import { DigestBox } from './DigestBox';
import {
  ActorRef,
  formatTime,
  Mono,
  packetKindsPhrase,
  showInvisibleCharacters,
  UserText,
  SimpleTable,
} from './common';

// The cards of the proposal page: what is asked, what was checked and decided (the evidence
// and audit cards are in EvidenceAuditCards.tsx).

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <MuiTable size="small">
      <TableBody>
        {rows
          .filter(([, v]) => v !== undefined && v !== null && v !== '')
          .map(([label, value]) => (
            <TableRow key={label}>
              <TableCell component="th" scope="row" style={{ width: '30%' }}>
                <Typography variant="body2" color="text.secondary">
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

/** The Drift tab of the proposal's tenant, showing the runs of its environment. */
function DriftLink({ proposal }: { proposal: ProposalView['proposal'] }) {
  const tenant = parseEntityRef(proposal.tenant);
  const environment = parseEntityRef(proposal.environment).name;
  const path = `/catalog/${tenant.namespace}/${tenant.kind.toLocaleLowerCase(
    'en-US',
  )}/${tenant.name}/drift?environment=${encodeURIComponent(environment)}`;
  return (
    <Link to={path}>
      Drift runs of {tenant.name} in {environment}
    </Link>
  );
}

export function OverviewCard({ view }: { view: ProposalView }) {
  const { proposal, rules } = view;
  // The runbook of the change, configured per proposal type (approvals.runbooks).
  const runbook = useApi(configApiRef).getOptionalString(
    `approvals.runbooks.${proposal.type}`,
  );
  const ref = (r?: string) =>
    r ? <EntityRefLink entityRef={r} hideIcon disableTooltip /> : undefined;
  return (
    <InfoCard title="Proposal">
      <Typography variant="body2" color="text.secondary" paragraph>
        State {proposal.state} (version {proposal.version}), updated{' '}
        {formatTime(proposal.updatedAt)}
      </Typography>
      <Facts
        rows={[
          ['Tenant', ref(proposal.tenant)],
          ['Environment', ref(proposal.environment)],
          ['Type', proposal.type],
          ['Drift', <DriftLink proposal={proposal} />],
          [
            'Runbook',
            runbook ? (
              <Link to={`/docs/default/resource/${runbook}`}>{runbook}</Link>
            ) : undefined,
          ],
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
            proposal.appliedReference ? (
              <span data-testid="proposal-applied">
                {proposal.appliedReference} at {formatTime(proposal.appliedAt)}
                {proposal.appliedBy ? ` by ${proposal.appliedBy}` : ''}
                {proposal.appliedPacket ? (
                  <>
                    , evidence <Mono>{proposal.appliedPacket}</Mono>
                  </>
                ) : null}
              </span>
            ) : undefined,
          ],
          [
            'Verified',
            proposal.verifiedAt ? (
              <span data-testid="proposal-verified">
                {formatTime(proposal.verifiedAt)} by {proposal.verifiedBy},
                evidence <Mono>{proposal.verifiedPacket}</Mono>
              </span>
            ) : undefined,
          ],
          [
            'Rolled back',
            proposal.rolledBackAt ? (
              <span data-testid="proposal-rolled-back">
                {formatTime(proposal.rolledBackAt)} by {proposal.rolledBackBy}:{' '}
                <UserText text={proposal.rollbackReason} />, evidence{' '}
                <Mono>{proposal.rollbackPacket}</Mono>
              </span>
            ) : undefined,
          ],
          [
            'Verify overdue',
            proposal.verifyOverdueAt && proposal.state === 'applied' ? (
              <Typography
                variant="body2"
                color="error"
                data-testid="proposal-verify-overdue"
              >
                No verify or rollback yet; overdue since{' '}
                {formatTime(proposal.verifyOverdueAt)}
              </Typography>
            ) : undefined,
          ],
          [
            'Rules',
            <span data-testid="proposal-rules">
              {`${rules.production ? 'production' : 'non-production'}; ${
                rules.requiredApprovals
              } approval${rules.requiredApprovals === 1 ? '' : 's'} needed; ${
                rules.requireSignature
                  ? 'signed approvals'
                  : 'no signature needed'
              }; approvals lapse after ${formatDuration(
                rules.approvalTtlMs,
              )}; ${describeWindows(rules.changeWindows)}${
                rules.promotionPacketKinds?.length
                  ? `; promotions need ${packetKindsPhrase(
                      rules.promotionPacketKinds,
                    )}, each declaring its kind`
                  : ''
              }`}
            </span>,
          ],
        ]}
      />
      <Box mt={2}>
        <DigestBox digest={proposal.digest} />
      </Box>
    </InfoCard>
  );
}

export function ChangeCard({ view }: { view: ProposalView }) {
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

export function ValidationCard({ view }: { view: ProposalView }) {
  const validation = view.proposal.validation;
  return (
    <InfoCard title="Validation">
      {!validation && (
        <Typography color="text.secondary">Not validated yet.</Typography>
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

export function DecisionsCard({ view }: { view: ProposalView }) {
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

export function GateCard({ view }: { view: ProposalView }) {
  const { gate } = view;
  return (
    <InfoCard title="Gate">
      <Typography
        paragraph
        color={gate.allowed ? 'text.primary' : 'error'}
        data-testid="gate-verdict"
      >
        {gate.allowed
          ? 'Allowed: this change may be applied now.'
          : 'Blocked: this change may not be applied now.'}{' '}
        <Typography component="span" variant="caption" color="text.secondary">
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

export { AuditCard, EvidenceCard } from './EvidenceAuditCards';

/** The change windows as one line: name, kind, cron and time zone of each. */
function describeWindows(
  windows: ProposalView['rules']['changeWindows'] = [],
): string {
  if (windows.length === 0) return 'no change windows';
  return `change windows: ${windows
    .map(w => `${w.name ?? w.cron} (${w.kind}, ${w.cron}, ${w.timeZone})`)
    .join('; ')}`;
}
