import useAsync from 'react-use/esm/useAsync';
import {
  Content,
  Header,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import {
  ColouredChip,
  errorMessage,
  formatTime,
  Mono,
  SimpleTable,
} from '@internal/plugin-fabric-react';
import Typography from '@mui/material/Typography';
import { useFabricOpsClient } from './FabricOpsClient';

const STATE_COLOURS = {
  held: { bg: '#d4edda', fg: '#155724' },
  expired: { bg: '#fff3cd', fg: '#6b4e00' },
};

/** Mission Control claim leases, read-only, from the export the portal is configured with. */
export function MissionControlLeasesPage() {
  const client = useFabricOpsClient();
  const leases = useAsync(() => client.missionControlLeases(), [client]);
  const v = leases.value;
  return (
    <Page themeId="tool">
      <Header
        title="Mission Control claim leases"
        subtitle="Who holds which task's lease until when, and what the sweeps found; read-only"
      />
      <Content>
        {leases.loading && <Progress />}
        {leases.error && (
          <WarningPanel
            severity="error"
            title="Could not read the lease export"
            message={errorMessage(leases.error)}
          />
        )}
        {v && (
          <div data-testid="mc-leases">
            <Typography variant="body2" color="text.secondary" paragraph>
              {v.source} — exported {formatTime(v.exportedAt)}; default TTL{' '}
              {v.defaultTtlMinutes} min. A lease is held while its expiry is in
              the future; release and sweeps happen in Mission Control (
              <Mono>mc.js claim-release</Mono>, <Mono>claim-sweep</Mono>), never
              here.
            </Typography>
            <SimpleTable
              label="Claim leases"
              rows={v.leases}
              rowKey={l => String(l.taskId)}
              empty="No task is claimed."
              columns={[
                { title: 'Task', render: l => <Mono>MC #{l.taskId}</Mono> },
                { title: 'Title', render: l => l.title ?? '—' },
                {
                  title: 'Holder (actor:session)',
                  render: l => <Mono>{l.holder}</Mono>,
                },
                { title: 'Lease until', render: l => formatTime(l.leaseUntil) },
                {
                  title: 'State',
                  render: l => (
                    <ColouredChip
                      label={l.state}
                      colour={STATE_COLOURS[l.state]}
                      testId={`lease-${l.state}`}
                    />
                  ),
                },
              ]}
            />
            <SimpleTable
              label="Sweeps"
              rows={v.sweeps}
              rowKey={s => s.at}
              empty="No sweep in the export."
              style={{ marginTop: 16 }}
              columns={[
                { title: 'Swept at', render: s => formatTime(s.at) },
                {
                  title: 'Expired leases',
                  render: s =>
                    s.expired.length
                      ? s.expired.map(id => `MC #${id}`).join(', ')
                      : 'none',
                },
                {
                  title: 'Auto-release',
                  render: s => (s.autoRelease ? 'released' : 'reported only'),
                },
              ]}
            />
          </div>
        )}
      </Content>
    </Page>
  );
}
