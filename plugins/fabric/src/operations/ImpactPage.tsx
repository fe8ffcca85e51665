import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  Content,
  Header,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Typography from '@mui/material/Typography';
import { errorMessage } from '@internal/plugin-fabric-react';
import { useFabricOpsClient } from './FabricOpsClient';
import { ImpactReportView } from './ImpactViews';

function initialDomain(): string {
  return new URLSearchParams(window.location.search).get('failureDomain') ?? '';
}

/** "What breaks if X goes down": pick a failure domain, see the computed impact. */
export function ImpactPage() {
  const client = useFabricOpsClient();
  const [domain, setDomain] = useState<string>(initialDomain);
  const domains = useAsync(() => client.failureDomains(), [client]);
  const report = useAsync(
    async () => (domain ? client.impact(domain) : undefined),
    [client, domain],
  );

  // Keep the choice in the address so a page of a given host can be linked.
  useEffect(() => {
    const url = new URL(window.location.href);
    if (domain) url.searchParams.set('failureDomain', domain);
    else url.searchParams.delete('failureDomain');
    window.history.replaceState(null, '', url.toString());
  }, [domain]);

  return (
    <Page themeId="tool">
      <Header
        title="Failure-domain impact"
        subtitle="What breaks if a Proxmox host goes down, computed from the catalog's placement, quorum sizes and VIP holders"
      />
      <Content>
        {domains.error && (
          <WarningPanel
            severity="error"
            title="Could not list the failure domains"
            message={errorMessage(domains.error)}
          />
        )}
        <FormControl variant="standard" style={{ minWidth: 240 }}>
          <InputLabel id="impact-domain-label">Failure domain</InputLabel>
          <Select
            id="impact-domain-select"
            labelId="impact-domain-label"
            value={domain}
            onChange={e => setDomain(String(e.target.value))}
            inputProps={{ 'data-testid': 'impact-domain' }}
          >
            {(domains.value ?? []).map(d => (
              <MenuItem key={d} value={d}>
                {d}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        {!domain && (
          <Typography style={{ marginTop: 16 }} color="text.secondary">
            Choose a failure domain to see every host, service, VIP, plane and
            tenant that loses capacity or quorum with it.
          </Typography>
        )}
        {report.loading && <Progress />}
        {report.error && (
          <WarningPanel
            severity="error"
            title="Could not compute the impact"
            message={errorMessage(report.error)}
          />
        )}
        {report.value && <ImpactReportView report={report.value} />}
      </Content>
    </Page>
  );
}
