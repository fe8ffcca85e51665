import useAsync from 'react-use/esm/useAsync';
import { InfoCard, Link } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { AcceptanceStatus } from '@internal/plugin-fabric-common';
import {
  ColouredChip,
  Mono,
  SimpleTable,
  errorMessage,
  isResponseError,
  formatTime,
} from '@internal/plugin-fabric-react';
import Typography from '@mui/material/Typography';
import { FactsTable } from '../components/FactsTable';
import { EntityHealth, useFabricOpsClient } from './FabricOpsClient';

const STATUS_COLOURS: Record<AcceptanceStatus, { bg: string; fg: string }> = {
  pass: { bg: '#d4edda', fg: '#155724' },
  stale: { bg: '#fff3cd', fg: '#6b4e00' },
  missing: { bg: '#e0e0e0', fg: '#333' },
  fail: { bg: '#f8d7da', fg: '#721c24' },
  untrusted: { bg: '#721c24', fg: '#fff' },
};

export function StatusChip({ status }: { status: AcceptanceStatus }) {
  return (
    <ColouredChip
      label={status}
      colour={STATUS_COLOURS[status]}
      testId={`health-status-${status}`}
    />
  );
}

/** `3 h`, `12 d`: how long ago a run was, rounded down. */
export function formatAge(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 1) return `${Math.max(0, Math.floor(ms / 60_000))} min`;
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

function OpenProposals({
  proposals,
}: {
  proposals: EntityHealth['openProposals'];
}) {
  if (!proposals) return <>not readable with your access</>;
  if (proposals.length === 0) return <>none</>;
  return (
    <>
      {proposals.map((p, i) => (
        <span key={p.id}>
          {i > 0 && ', '}
          <Link to={`/approvals/proposals/${p.id}`}>{p.title}</Link> ({p.state})
        </span>
      ))}
    </>
  );
}

/**
 * Health of a plane or service from evidence: each acceptance or guard target's latest run
 * and its age, what the runs observed (MinIO quorum, VIP holder), the latest drift verdict and
 * the open proposals.
 */
export function HealthCard() {
  const { entity } = useEntity();
  const client = useFabricOpsClient();
  const ref = stringifyEntityRef(entity);
  const health = useAsync(() => client.health(ref), [client, ref]);
  const refused =
    isResponseError(health.error) && health.error.statusCode === 403;
  const h = health.value;
  return (
    <InfoCard title="Health from evidence">
      {health.loading && <Typography>Loading…</Typography>}
      {refused && (
        <Typography color="text.secondary">
          Shown to operators and to tenants that consume this{' '}
          {entity.kind.toLowerCase() === 'plane' ? 'plane' : 'service'}.
        </Typography>
      )}
      {health.error && !refused && (
        <Typography color="error">{errorMessage(health.error)}</Typography>
      )}
      {h && (
        <div data-testid="health-card">
          <FactsTable
            facts={[
              {
                label: 'Acceptance',
                value: (
                  <>
                    <StatusChip status={h.status} />
                    {h.access === 'consumer' ? ' (read-only)' : ''}
                  </>
                ),
              },
              {
                label: 'Quorum',
                value: h.observations.quorum && (
                  <>
                    <Mono>{h.observations.quorum.value}</Mono> (
                    {h.observations.quorum.target},{' '}
                    {formatTime(h.observations.quorum.timestamp)})
                  </>
                ),
              },
              {
                label: 'VIP holder',
                value: h.observations.vipHolder && (
                  <>
                    <Mono>{h.observations.vipHolder.value}</Mono> (
                    {h.observations.vipHolder.target},{' '}
                    {formatTime(h.observations.vipHolder.timestamp)})
                  </>
                ),
              },
              { label: 'Latest drift verdict', value: h.drift ?? 'no run' },
              {
                label: 'Open proposals',
                value: (
                  <span data-testid="health-open-proposals">
                    <OpenProposals proposals={h.openProposals} />
                  </span>
                ),
              },
              {
                label: 'Stale after',
                value: formatAge(h.staleAfterMs),
              },
            ]}
          />
          <SimpleTable
            label="Acceptance targets"
            rows={h.targets}
            rowKey={t => t.target}
            empty="This entity names no acceptance targets."
            style={{ marginTop: 12 }}
            columns={[
              { title: 'Target', render: t => <Mono>{t.target}</Mono> },
              {
                title: 'Status',
                render: t => <StatusChip status={t.status} />,
              },
              { title: 'Result', render: t => t.latest?.result ?? '—' },
              { title: 'Packet', render: t => t.latest?.verdict ?? '—' },
              {
                title: 'Ran',
                render: t =>
                  t.latest
                    ? `${formatTime(t.latest.timestamp)} (${formatAge(
                        t.latest.ageMs,
                      )} ago)`
                    : '—',
              },
            ]}
          />
          {h.problems.map(p => (
            <Typography key={p} color="error" variant="body2">
              {p}
            </Typography>
          ))}
        </div>
      )}
    </InfoCard>
  );
}
