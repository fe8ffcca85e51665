import { ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Box,
  Table as MuiTable,
  TableBody,
  TableCell,
  TableRow,
  Typography,
} from '@material-ui/core';
import {
  type AuditRecord,
  type Decision,
  type PacketResolution,
  type ProposalView,
} from '@internal/plugin-approvals-common';
import { approvalsApiRef } from '../api/ApprovalsApi';
import { formatDuration } from './OverrideFields';
import { ChangeSummary } from './ChangeSummary';
import { DigestBox } from './DigestBox';
import {
  ActorRef,
  errorMessage,
  formatTime,
  Mono,
  shortHash,
  showInvisibleCharacters,
  UserText,
  SimpleTable,
} from './common';

// The cards of the proposal page: what is asked, what was checked and decided, the audit.

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

export function OverviewCard({ view }: { view: ProposalView }) {
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

export function EvidenceCard({ view }: { view: ProposalView }) {
  const evidence = view.proposal.evidence ?? [];
  const refs = view.proposal.packets ?? [];
  const resolved = new Map(
    (view.gate.packets ?? []).map(r => [r.packetId, r] as const),
  );
  return (
    <InfoCard title="Evidence">
      {refs.length === 0 ? (
        <Typography color="textSecondary" paragraph>
          No evidence packets cited.
        </Typography>
      ) : (
        <SimpleTable<(typeof refs)[number]>
          label="Evidence packets"
          empty="No evidence packets cited."
          columns={[
            { title: 'Packet', render: r => <Mono>{r.packetId}</Mono> },
            { title: 'Kind', render: r => r.kind },
            {
              title: 'Verdict',
              render: r => resolved.get(r.packetId)?.verdict ?? 'unknown',
            },
            {
              title: 'Resolved',
              render: r => {
                const res = resolved.get(r.packetId);
                return res ? (
                  <Typography
                    variant="body2"
                    color={res.outcome === 'ok' ? 'textPrimary' : 'error'}
                  >
                    {res.outcome}: {res.message}
                  </Typography>
                ) : (
                  'not checked'
                );
              },
            },
            { title: 'Note', render: r => <UserText text={r.note} /> },
          ]}
          rows={refs}
          rowKey={r => r.packetId}
        />
      )}
      {evidence.length > 0 && (
        <>
          <Typography variant="subtitle2">
            Notes (links, not checked)
          </Typography>
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {evidence.map(e => (
              <li key={e.url}>
                <Link to={e.url} target="_blank" rel="noopener noreferrer">
                  <UserText text={e.title ?? e.url} />
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </InfoCard>
  );
}

/** How the packet references of an audit record resolved, one line each. */
function auditResolutions(record: AuditRecord): ReactNode {
  const details = record.details ?? {};
  // Only resolutions (objects with a packet id): the `submitted` record lists bare ids.
  const isResolution = (v: unknown): v is PacketResolution =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as PacketResolution).packetId === 'string';
  const list: PacketResolution[] = [
    ...(Array.isArray(details.packets) ? details.packets : []),
    details.evidence,
  ].filter(isResolution);
  if (list.length === 0) return '';
  return (
    <ul style={{ margin: 0, paddingLeft: 16 }} aria-label="Packet resolutions">
      {list.map(r => (
        <li key={`${r.packetId}:${r.kind}`}>
          <Typography variant="caption">
            <Mono>{r.packetId.slice(0, 8)}</Mono> {r.kind ?? ''}: {r.outcome}
            {r.verdict ? ` (${r.verdict})` : ''}
          </Typography>
        </li>
      ))}
    </ul>
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

export function AuditCard({ id, reload }: { id: string; reload: number }) {
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
            { title: 'Evidence', render: r => auditResolutions(r) },
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
