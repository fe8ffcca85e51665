import { ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Typography from '@mui/material/Typography';
import WarningAmberIcon from '@mui/icons-material/WarningAmber';
import {
  type AuditRecord,
  type PacketResolution,
  type ProposalView,
} from '@internal/plugin-approvals-common';
import { approvalsApiRef } from '../api/ApprovalsApi';
import {
  ActorRef,
  errorMessage,
  formatTime,
  Mono,
  packetKindLabel,
  shortHash,
  UserText,
  SimpleTable,
} from './common';

// The proposal page's evidence card (each packet reference and how it resolved) and its audit trail.

/** The path of a URL of this portal (same origin as the page), else undefined. */
function samePortal(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.origin === window.location.origin
      ? `${parsed.pathname}${parsed.search}`
      : undefined;
  } catch {
    return undefined;
  }
}

/** A flag in words (the icon only repeats it): a mismatch is never told by colour alone. */
function KindFlag({ children }: { children: ReactNode }) {
  return (
    <Typography
      variant="body2"
      color="error"
      component="span"
      sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5 }}
    >
      <WarningAmberIcon fontSize="inherit" aria-hidden />
      {children}
    </Typography>
  );
}

/**
 * What the packet declares itself (its signed packet.json `kind`) next to what the proposal
 * cites it as: a mismatch, or a required kind the packet does not declare, is flagged.
 */
function DeclaredKind(props: {
  cited: string | undefined;
  resolution: PacketResolution | undefined;
  required: readonly string[];
}) {
  const { cited, resolution: res, required } = props;
  if (!res) return <>not checked</>;
  if (res.outcome === 'kind-mismatch' && res.declaredKind) {
    return (
      <KindFlag>
        {packetKindLabel(res.declaredKind)}: mismatch, cited as{' '}
        {packetKindLabel(cited ?? 'other')}
      </KindFlag>
    );
  }
  if (res.declaredKind) return <>{packetKindLabel(res.declaredKind)}</>;
  // Another tenant's packet: what it is stays undisclosed.
  if (res.outcome === 'foreign') return <>not disclosed</>;
  if (res.outcome !== 'ok') return <>unknown</>;
  if (cited && required.includes(cited)) {
    return (
      <KindFlag>
        none declared: does not count as {packetKindLabel(cited)}
      </KindFlag>
    );
  }
  return <>none declared</>;
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
        <Typography color="text.secondary" paragraph>
          No evidence packets cited.
        </Typography>
      ) : (
        <SimpleTable<(typeof refs)[number]>
          label="Evidence packets"
          empty="No evidence packets cited."
          columns={[
            {
              title: 'Packet',
              // The Evidence page's packet view, in this tab.
              render: r => (
                <Link
                  to={`/evidence/packets/${encodeURIComponent(r.packetId)}`}
                >
                  <Mono>{r.packetId}</Mono>
                </Link>
              ),
            },
            {
              title: 'Cited as',
              render: r => packetKindLabel(r.kind ?? 'other'),
            },
            {
              title: 'Declared kind',
              render: r => (
                <DeclaredKind
                  cited={r.kind}
                  resolution={resolved.get(r.packetId)}
                  required={
                    view.proposal.type === 'promotion'
                      ? view.rules.promotionPacketKinds ?? []
                      : []
                  }
                />
              ),
            },
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
                    color={res.outcome === 'ok' ? 'text.primary' : 'error'}
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
          <Typography variant="subtitle2" component="h2">
            Notes (links, not checked)
          </Typography>
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {evidence.map(e => (
              <li key={e.url}>
                {samePortal(e.url) ? (
                  // A page of this portal (the scaffolder task that filed it): this tab.
                  <Link to={samePortal(e.url)!}>
                    <UserText text={e.title ?? e.url} />
                  </Link>
                ) : (
                  <Link to={e.url} target="_blank" rel="noopener noreferrer">
                    <UserText text={e.title ?? e.url} />
                  </Link>
                )}
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
            <Mono>{r.packetId.slice(0, 8)}</Mono>{' '}
            {r.kind ? packetKindLabel(r.kind) : ''}
            {r.declaredKind && r.declaredKind !== r.kind
              ? ` (declares ${packetKindLabel(r.declaredKind)})`
              : ''}
            : {r.outcome}
            {r.verdict ? ` (${r.verdict})` : ''}
          </Typography>
        </li>
      ))}
    </ul>
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
