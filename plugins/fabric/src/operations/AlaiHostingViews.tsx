import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import type {
  DnsConsolidation,
  Sentinel,
  WebsiteFabricSpec,
} from '@internal/plugin-fabric-common';
import { Mono, SimpleTable } from '@internal/plugin-fabric-react';
import Typography from '@mui/material/Typography';
import { ReactNode } from 'react';
import { FactsTable } from '../components/FactsTable';

const TASK = 'fabric.samakia.io/tracking-task';

const fabricOf = (e: Entity) =>
  (e.spec as { fabric?: WebsiteFabricSpec } | undefined)?.fabric;

/** Priority 1, 2, 3, then the rows the table gives '-', each by name. */
function byPriority(a: Entity, b: Entity) {
  const p = (e: Entity) => fabricOf(e)?.migration?.priority ?? 9;
  return p(a) - p(b) || a.metadata.name.localeCompare(b.metadata.name);
}

/** Keeps a short value (a status, a task key, a site) on one line in a narrow column. */
function NoWrap({ children }: { children: ReactNode }) {
  return <span style={{ whiteSpace: 'nowrap' }}>{children}</span>;
}

function Problem({ text }: { text: string }) {
  return (
    <Typography
      color="error"
      variant="body2"
      style={{ whiteSpace: 'pre-wrap' }}
    >
      {text}
    </Typography>
  );
}

/** Every website with its row of the migration table. */
export function MigrationTable({ sites }: { sites: Entity[] }) {
  const rows = sites.filter(e => fabricOf(e)?.migration).sort(byPriority);
  const without = sites.filter(e => !fabricOf(e)?.migration);
  return (
    <>
      <SimpleTable
        label="Migration table"
        rows={rows}
        rowKey={e => e.metadata.name}
        empty="No site in the catalog carries a migration row."
        columns={[
          {
            title: 'Site',
            render: e => (
              <NoWrap>
                <EntityRefLink entityRef={e} />
              </NoWrap>
            ),
          },
          { title: 'From', render: e => fabricOf(e)?.migration?.from },
          { title: 'To', render: e => fabricOf(e)?.migration?.to },
          {
            title: 'Priority',
            render: e => fabricOf(e)?.migration?.priority ?? '-',
          },
          {
            title: 'Downtime window',
            render: e => fabricOf(e)?.migration?.downtimeWindow,
          },
          {
            title: 'Dependency',
            render: e => fabricOf(e)?.migration?.dependency,
          },
          {
            title: 'Status',
            render: e => <NoWrap>{fabricOf(e)?.migrationStatus}</NoWrap>,
          },
          {
            title: 'MC task',
            render: e => (
              <NoWrap>{e.metadata.annotations?.[TASK] ?? '—'}</NoWrap>
            ),
          },
        ]}
      />
      <Typography
        variant="body2"
        color="text.secondary"
        style={{ marginTop: 8 }}
      >
        Priority 1 = immediate (no dependency, low risk), 2 = planned (some
        coordination), 3 = blocked/external; - where the table gives none.
        {without.length > 0 &&
          ` Not in the table: ${without.map(e => e.metadata.name).join(', ')}.`}
      </Typography>
    </>
  );
}

/** The consolidation target and the seed's reported state beside the catalog's DNS providers. */
export function DnsConsolidationView(props: {
  value?: DnsConsolidation;
  problem?: string;
  sites: Entity[];
}) {
  if (!props.value) return <Problem text={props.problem ?? ''} />;
  const plan = props.value;
  const counts = new Map<string, number>();
  for (const site of props.sites) {
    const provider = fabricOf(site)?.dnsProvider;
    if (fabricOf(site)?.domain && provider) {
      counts.set(provider, (counts.get(provider) ?? 0) + 1);
    }
  }
  const onTarget = counts.get('cloudflare') ?? 0;
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return (
    <>
      <FactsTable
        facts={[
          { label: 'Target', value: plan.target },
          {
            label: 'Nameservers',
            value: <Mono>{plan.nameservers.join(', ')}</Mono>,
          },
          {
            label: 'In the catalog',
            value: `${onTarget} of ${total} site domains on Cloudflare DNS`,
          },
        ]}
      />
      <SimpleTable
        label="Reported DNS state"
        style={{ marginTop: 12 }}
        rows={plan.reportedState}
        rowKey={r => r.provider}
        columns={[
          { title: 'Provider (as reported)', render: r => r.provider },
          { title: 'Domains', render: r => r.domains },
        ]}
      />
      <SimpleTable
        label="DNS providers in the catalog"
        style={{ marginTop: 12 }}
        rows={[...counts.entries()].sort(
          (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
        )}
        rowKey={([provider]) => provider}
        columns={[
          { title: 'Provider (catalog)', render: ([p]) => p },
          { title: 'Site domains', render: ([, n]) => n },
        ]}
      />
      <Typography variant="subtitle2" component="h2" style={{ marginTop: 12 }}>
        Steps per domain
      </Typography>
      <ol style={{ marginTop: 0 }}>
        {plan.steps.map(step => (
          <li key={step}>
            <Typography variant="body2">{step}</Typography>
          </li>
        ))}
      </ol>
      {plan.notes?.map(note => (
        <Typography key={note} variant="body2" color="text.secondary">
          {note}
        </Typography>
      ))}
    </>
  );
}

/** SENTINEL's uptime sites matched to catalog sites, and its alert table. */
export function SentinelView(props: {
  value?: Sentinel;
  problem?: string;
  sites: Entity[];
}) {
  if (!props.value) return <Problem text={props.problem ?? ''} />;
  const sentinel = props.value;
  const byDomain = new Map(
    props.sites.flatMap(e => {
      const domain = fabricOf(e)?.domain;
      return domain ? [[domain, e] as const] : [];
    }),
  );
  const checked = new Set(
    sentinel.uptimeCheck.sites.map(u => new URL(u).hostname),
  );
  const unchecked = [...byDomain.keys()].filter(d => !checked.has(d)).sort();
  return (
    <>
      <FactsTable
        facts={[
          { label: 'Channel', value: <Mono>{sentinel.channel}</Mono> },
          { label: 'Uptime check', value: sentinel.uptimeCheck.interval },
          {
            label: 'Healthy answers',
            value: sentinel.uptimeCheck.okStatuses.join(', '),
          },
          {
            label: 'Catalog sites not checked',
            value: unchecked.length ? unchecked.join(', ') : 'none',
          },
        ]}
      />
      <SimpleTable
        label="Alert table"
        style={{ marginTop: 12 }}
        rows={sentinel.alerts}
        rowKey={a => a.metric}
        columns={[
          { title: 'Metric', render: a => a.metric },
          { title: 'Threshold', render: a => a.threshold },
          { title: 'Channel', render: a => a.channel },
          { title: 'L1', render: a => a.l1 },
          { title: 'L2', render: a => a.l2 },
          { title: 'L3', render: a => a.l3 },
        ]}
      />
      <SimpleTable
        label="Uptime sites"
        style={{ marginTop: 12 }}
        rows={sentinel.uptimeCheck.sites}
        rowKey={u => u}
        columns={[
          { title: 'Checked URL', render: u => <Mono>{u}</Mono> },
          {
            title: 'Catalog site',
            render: u => {
              const site = byDomain.get(new URL(u).hostname);
              return site ? (
                <EntityRefLink entityRef={site} />
              ) : (
                'not in the catalog'
              );
            },
          },
        ]}
      />
    </>
  );
}
