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
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import {
  ALAI_ALERTING_TYPE,
  ALAI_DNS_CONSOLIDATION_TYPE,
  dnsConsolidationSchema,
  parseWithProblems,
  sentinelSchema,
} from '@internal/plugin-fabric-common';
import { errorMessage } from '@internal/plugin-fabric-react';
import Grid from '@mui/material/Grid';
import Typography from '@mui/material/Typography';
import {
  DnsConsolidationView,
  MigrationTable,
  SentinelView,
} from './AlaiHostingViews';

/** The first Resource of `type` and its spec block parsed, or the problems naming the fields. */
function block<T>(
  entities: Entity[],
  type: string,
  key: string,
  schema: Parameters<typeof parseWithProblems<T>>[0],
) {
  const entity = entities.find(
    e => e.kind === 'Resource' && e.spec?.type === type,
  );
  if (!entity)
    return { entity, problem: `No Resource of type ${type} in the catalog.` };
  const parsed = parseWithProblems(
    schema,
    entity.spec?.[key],
    `${entity.metadata.name} spec.${key}`,
  );
  return parsed.success
    ? { entity, value: parsed.data }
    : { entity, problem: parsed.message };
}

/**
 * ALAI hosting: every row of the migration table (priority, downtime window, dependency), the
 * DNS consolidation plan beside the DNS providers the catalog records, and SENTINEL's uptime
 * sites and alert table. Read from the catalog, as the signed-in user may see it.
 */
export function AlaiHostingPage() {
  const catalogApi = useApi(catalogApiRef);
  const data = useAsync(async () => {
    const [sites, resources] = await Promise.all([
      catalogApi.getEntities({
        filter: { kind: 'Component', 'spec.type': 'website' },
      }),
      catalogApi.getEntities({
        filter: {
          kind: 'Resource',
          'spec.type': [ALAI_DNS_CONSOLIDATION_TYPE, ALAI_ALERTING_TYPE],
        },
      }),
    ]);
    return {
      sites: sites.items,
      dns: block(
        resources.items,
        ALAI_DNS_CONSOLIDATION_TYPE,
        'dnsConsolidation',
        dnsConsolidationSchema,
      ),
      sentinel: block(
        resources.items,
        ALAI_ALERTING_TYPE,
        'sentinel',
        sentinelSchema,
      ),
    };
  }, [catalogApi]);
  const d = data.value;
  return (
    <Page themeId="tool">
      <Header
        title="ALAI hosting"
        subtitle="Migration table, DNS consolidation and SENTINEL alerts, from the catalog"
      />
      <Content>
        {data.loading && <Progress />}
        {data.error && (
          <WarningPanel
            severity="error"
            title="Could not read the catalog"
            message={errorMessage(data.error)}
          />
        )}
        {d && (
          <Grid container spacing={3}>
            <Grid item xs={12}>
              <InfoCard title="Migration table">
                <MigrationTable sites={d.sites} />
              </InfoCard>
            </Grid>
            <Grid item xs={12} md={5}>
              <InfoCard title="DNS consolidation">
                <DnsConsolidationView {...d.dns} sites={d.sites} />
              </InfoCard>
            </Grid>
            <Grid item xs={12} md={7}>
              <InfoCard title="SENTINEL alerts">
                <SentinelView {...d.sentinel} sites={d.sites} />
              </InfoCard>
            </Grid>
            <Grid item xs={12}>
              <Typography variant="body2">
                The control plane's single points of failure are on the{' '}
                <Link to="/operations/spof">SPOF inventory</Link>; Mission
                Control's claims on{' '}
                <Link to="/operations/mission-control/leases">
                  MC claim leases
                </Link>
                .
              </Typography>
            </Grid>
          </Grid>
        )}
      </Content>
    </Page>
  );
}
