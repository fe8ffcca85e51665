import useAsync from 'react-use/esm/useAsync';
import {
  Content,
  Header,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef, EntityRefLink } from '@backstage/plugin-catalog-react';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { errorMessage, SimpleTable } from '@internal/plugin-fabric-react';
import Typography from '@mui/material/Typography';

const IMPACT = 'fabric.samakia.io/spof-impact';
const RANK = 'fabric.samakia.io/spof-rank';
const DR = 'fabric.samakia.io/dr-status';
const ASSUMPTION = 'fabric.samakia.io/assumption';

const rankOf = (e: Entity) =>
  Number(e.metadata.annotations?.[RANK] ?? Number.MAX_SAFE_INTEGER);

/** The single points of failure the catalog marks, what stops with each and its DR status. */
export function SpofInventoryPage() {
  const catalogApi = useApi(catalogApiRef);
  const spofs = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { [`metadata.annotations.${IMPACT}`]: CATALOG_FILTER_EXISTS },
    });
    return [...items].sort((a, b) => rankOf(a) - rankOf(b));
  }, [catalogApi]);
  return (
    <Page themeId="tool">
      <Header
        title="SPOF inventory"
        subtitle="Single points of failure the catalog marks, what stops when each dies and where its disaster recovery stands"
      />
      <Content>
        {spofs.loading && <Progress />}
        {spofs.error && (
          <WarningPanel
            severity="error"
            title="Could not read the catalog"
            message={errorMessage(spofs.error)}
          />
        )}
        {spofs.value && (
          <SimpleTable
            label="SPOF inventory"
            rows={spofs.value}
            rowKey={e => e.metadata.name}
            empty="No entity is marked as a single point of failure."
            columns={[
              {
                title: '#',
                render: e => e.metadata.annotations?.[RANK] ?? '—',
              },
              {
                title: 'Single point of failure',
                render: e => <EntityRefLink entityRef={e} />,
              },
              {
                title: 'When it dies',
                render: e => e.metadata.annotations?.[IMPACT],
              },
              { title: 'DR status', render: e => e.metadata.annotations?.[DR] },
              {
                title: 'Not in the sources',
                render: e => (
                  <Typography variant="body2" color="text.secondary">
                    {e.metadata.annotations?.[ASSUMPTION]}
                  </Typography>
                ),
              },
            ]}
          />
        )}
      </Content>
    </Page>
  );
}
