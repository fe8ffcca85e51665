import { InfoCard } from '@backstage/core-components';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  Table as MuiTable,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
} from '@material-ui/core';
import type {
  ServiceFabricSpec,
  WebsiteFabricSpec,
} from '@internal/plugin-fabric-common';
import { ChipList, FactsTable, Mono } from './FactsTable';

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
            value: (fabric.ports ?? [])
              .map(p => `${p.protocol.toUpperCase()}/${p.port}`)
              .join(', '),
          },
        ]}
      />
      {fabric.hosts?.length ? (
        <MuiTable size="small" aria-label="Hosts" style={{ marginTop: 16 }}>
          <TableHead>
            <TableRow>
              <TableCell>Host</TableCell>
              <TableCell>Failure domain</TableCell>
              <TableCell>Addresses</TableCell>
              <TableCell>Role tags</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {fabric.hosts.map(host => (
              <TableRow key={host.name}>
                <TableCell>
                  <Mono>{host.name}</Mono>
                </TableCell>
                <TableCell>{host.failureDomain}</TableCell>
                <TableCell>
                  <Mono>{(host.addresses ?? []).join(', ')}</Mono>
                </TableCell>
                <TableCell>
                  <ChipList items={host.roleTags} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </MuiTable>
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
            value: (
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
        ]}
      />
    </InfoCard>
  );
}
