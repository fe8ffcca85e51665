import useAsync from 'react-use/esm/useAsync';
import { InfoCard, Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { PlaneEntity } from '@internal/plugin-fabric-common';
import { errorMessage, SimpleTable } from '@internal/plugin-fabric-react';
import Typography from '@mui/material/Typography';
import { impactRouteRef } from '../routes';
import { useFabricOpsClient } from './FabricOpsClient';
import { VerdictChip } from './ImpactViews';

/** For each failure domain the plane spans: what losing it does to this plane. */
export function PlaneImpactCard() {
  const { entity } = useEntity<PlaneEntity>();
  const client = useFabricOpsClient();
  const impactLink = useRouteRef(impactRouteRef);
  const ref = stringifyEntityRef(entity);
  const domains = entity.spec.failureDomains ?? [];
  const rows = useAsync(
    () =>
      Promise.all(
        domains.map(async domain => {
          const report = await client.impact(domain);
          const plane = report.planes.find(p => p.ref === ref);
          const services = report.services.filter(s => s.plane === ref);
          return { domain, plane, services };
        }),
      ),
    [client, ref, domains.join(',')],
  );
  return (
    <InfoCard title="What breaks if a failure domain goes down">
      {rows.loading && <Typography>Computing…</Typography>}
      {rows.error && (
        <Typography color="error">{errorMessage(rows.error)}</Typography>
      )}
      {rows.value && (
        <SimpleTable
          label="Impact per failure domain"
          rows={rows.value}
          rowKey={r => r.domain}
          empty="This plane names no failure domains."
          columns={[
            {
              title: 'If this goes down',
              render: r => (
                <Link
                  to={`${
                    impactLink?.() ?? '/operations/impact'
                  }?failureDomain=${encodeURIComponent(r.domain)}`}
                >
                  {r.domain}
                </Link>
              ),
            },
            {
              title: 'This plane',
              render: r =>
                r.plane ? (
                  <VerdictChip verdict={r.plane.verdict} />
                ) : (
                  'unaffected'
                ),
            },
            {
              title: 'Why',
              render: r =>
                r.services.map(s => (
                  <div key={s.ref}>
                    {s.title}: {s.why}
                  </div>
                )),
            },
          ]}
        />
      )}
    </InfoCard>
  );
}
