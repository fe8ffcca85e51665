import { InfoCard, Link } from '@backstage/core-components';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import type {
  ServiceFabricSpec,
  ServiceHost,
  WebsiteFabricSpec,
} from '@internal/plugin-fabric-common';
import { ChipList, FactsTable, Mono, SimpleTable } from './FactsTable';
import { formatPorts } from './PlaneCards';

function planeRef(plane: string) {
  return plane.includes(':') ? plane : `plane:default/${plane}`;
}

/** Plane, placement, ports, acceptance command and hosts of a fabric service. */
export function ServiceFabricCard() {
  const { entity } = useEntity();
  const fabric = (entity.spec as { fabric?: ServiceFabricSpec }).fabric;
  if (!fabric) return null;
  return (
    <InfoCard title="Fabric placement">
      <FactsTable
        facts={[
          {
            label: 'Plane',
            value: fabric.plane && (
              <EntityRefLink entityRef={planeRef(fabric.plane)} />
            ),
          },
          { label: 'Environment', value: fabric.environment },
          { label: 'HA tier', value: fabric.haTier },
          {
            label: 'Acceptance',
            value: fabric.acceptance && <Mono>{fabric.acceptance}</Mono>,
          },
          {
            label: 'Ports',
            value: formatPorts(fabric.ports),
          },
        ]}
      />
      {fabric.hosts?.length ? (
        <SimpleTable<ServiceHost>
          label="Hosts"
          style={{ marginTop: 16 }}
          rows={fabric.hosts}
          rowKey={h => h.name}
          columns={[
            { title: 'Host', render: h => <Mono>{h.name}</Mono> },
            { title: 'Failure domain', render: h => h.failureDomain },
            {
              title: 'Addresses',
              render: h => <Mono>{(h.addresses ?? []).join(', ')}</Mono>,
            },
            {
              title: 'Role tags',
              render: h => <ChipList items={h.roleTags} />,
            },
          ]}
        />
      ) : null}
    </InfoCard>
  );
}

/** Domain, hosting and migration status of a static site. */
export function WebsiteFabricCard() {
  const { entity } = useEntity();
  const fabric = (entity.spec as { fabric?: WebsiteFabricSpec }).fabric;
  if (!fabric) return null;
  return (
    <InfoCard title="Site hosting">
      <FactsTable
        facts={[
          {
            label: 'Domain',
            value: fabric.domain && (
              <a
                href={`https://${fabric.domain}`}
                target="_blank"
                rel="noreferrer"
              >
                {fabric.domain}
              </a>
            ),
          },
          { label: 'Hosting platform', value: fabric.hostingPlatform },
          { label: 'DNS provider', value: fabric.dnsProvider },
          { label: 'Framework', value: fabric.framework },
          { label: 'Migration status', value: fabric.migrationStatus },
          {
            label: 'Migration',
            value: fabric.migration && (
              <>
                {fabric.migration.from} → {fabric.migration.to}; priority{' '}
                {fabric.migration.priority ?? '-'}; downtime{' '}
                {fabric.migration.downtimeWindow}; depends on{' '}
                {fabric.migration.dependency} (
                <Link to="/operations/alai">all rows</Link>)
              </>
            ),
          },
        ]}
      />
    </InfoCard>
  );
}
