import { ColouredChip, Mono, RefLink } from '@internal/plugin-fabric-react';
import { SimpleTable } from '@internal/plugin-fabric-react';
import type {
  ImpactReport,
  ImpactVerdict,
} from '@internal/plugin-fabric-common';
import Typography from '@mui/material/Typography';

const VERDICT_COLOURS: Record<ImpactVerdict, { bg: string; fg: string }> = {
  unknown: { bg: '#e0e0e0', fg: '#333' },
  degraded: { bg: '#fff3cd', fg: '#6b4e00' },
  'quorum-lost': { bg: '#f8d7da', fg: '#721c24' },
  down: { bg: '#721c24', fg: '#fff' },
};

export function VerdictChip({ verdict }: { verdict: ImpactVerdict }) {
  return (
    <ColouredChip
      label={verdict}
      colour={VERDICT_COLOURS[verdict]}
      testId={`impact-verdict-${verdict}`}
    />
  );
}

function Section(props: { title: string; children: React.ReactNode }) {
  return (
    <>
      <Typography variant="h6" component="h2" style={{ marginTop: 16 }}>
        {props.title}
      </Typography>
      {props.children}
    </>
  );
}

/** The whole answer to "what breaks if this failure domain goes down". */
export function ImpactReportView({ report }: { report: ImpactReport }) {
  return (
    <div data-testid="impact-report">
      <Section title={`Hosts on ${report.failureDomain}`}>
        <SimpleTable
          label="Hosts lost"
          rows={report.hosts}
          rowKey={h => h.name}
          empty="The catalog places no host on this failure domain."
          columns={[
            { title: 'Host', render: h => <Mono>{h.name}</Mono> },
            {
              title: 'Service',
              render: h => <RefLink entityRef={h.service} />,
            },
            {
              title: 'Addresses',
              render: h => <Mono>{h.addresses.join(', ')}</Mono>,
            },
          ]}
        />
      </Section>
      <Section title="Services">
        <SimpleTable
          label="Services affected"
          rows={report.services}
          rowKey={s => s.ref}
          empty="No service loses capacity."
          columns={[
            { title: 'Service', render: s => <RefLink entityRef={s.ref} /> },
            {
              title: 'Verdict',
              render: s => <VerdictChip verdict={s.verdict} />,
            },
            {
              title: 'Quorum',
              render: s =>
                s.quorum
                  ? `${s.quorum.remaining}/${s.quorum.members.length} up, ${
                      s.quorum.required
                    } needed: ${s.quorum.kept ? 'kept' : 'lost'}`
                  : '—',
            },
            {
              title: 'Hosts lost / left',
              render: s =>
                `${s.hostsLost.join(', ') || '—'} / ${
                  s.hostsRemaining.join(', ') || '—'
                }`,
            },
            { title: 'Why', render: s => s.why },
          ]}
        />
      </Section>
      <Section title="VIPs">
        <SimpleTable
          label="VIPs affected"
          rows={report.vips}
          rowKey={v => `${v.service}-${v.address}`}
          empty="No VIP holder is on this failure domain."
          columns={[
            { title: 'Address', render: v => <Mono>{v.address}</Mono> },
            { title: 'Name', render: v => v.name ?? '—' },
            {
              title: 'Service',
              render: v => <RefLink entityRef={v.service} />,
            },
            {
              title: 'Verdict',
              render: v =>
                v.verdict === 'kept'
                  ? `kept: moves to ${v.holdersRemaining.join(
                      ', ',
                    )} if held by ${v.holdersLost.join(', ')}`
                  : 'lost: no holder left',
            },
          ]}
        />
      </Section>
      <Section title="Planes">
        <SimpleTable
          label="Planes affected"
          rows={report.planes}
          rowKey={p => p.ref}
          empty="No plane is affected."
          columns={[
            { title: 'Plane', render: p => <RefLink entityRef={p.ref} /> },
            {
              title: 'Verdict',
              render: p => <VerdictChip verdict={p.verdict} />,
            },
          ]}
        />
      </Section>
      <Section title="Tenants">
        <SimpleTable
          label="Tenants affected"
          rows={report.tenants}
          rowKey={t => t.ref}
          empty="None of the tenants you may see is affected."
          columns={[
            { title: 'Tenant', render: t => <RefLink entityRef={t.ref} /> },
            {
              title: 'Verdict',
              render: t => <VerdictChip verdict={t.verdict} />,
            },
            {
              title: 'Through',
              render: t => (
                <>
                  {t.via.map(v => (
                    <div key={v.service}>
                      <RefLink entityRef={v.service} />: {v.reason}
                    </div>
                  ))}
                </>
              ),
            },
          ]}
        />
      </Section>
    </div>
  );
}
