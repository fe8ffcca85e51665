import { InfoCard, Link } from '@backstage/core-components';
import {
  EntityRefLink,
  useEntity,
  useRelatedEntities,
} from '@backstage/plugin-catalog-react';
import { RELATION_HAS_PART } from '@backstage/catalog-model';
import {
  Table as MuiTable,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import type {
  PlaneEntity,
  ServiceFabricSpec,
} from '@internal/plugin-fabric-common';
import { ChipList, FactsTable, Mono } from './FactsTable';

/** Network facts, failure domains and placement of a plane. */
export function PlaneOverviewCard() {
  const { entity } = useEntity<PlaneEntity>();
  const spec = entity.spec;
  const net = spec.network;
  return (
    <InfoCard title="Plane">
      <FactsTable
        facts={[
          { label: 'Plane type', value: spec.type },
          { label: 'Environment', value: spec.environment },
          { label: 'HA tier', value: spec.haTier },
          {
            label: 'Failure domains',
            value: <ChipList items={spec.failureDomains} />,
          },
          { label: 'SDN zone', value: net && <Mono>{net.sdnZone}</Mono> },
          { label: 'VNet', value: net && <Mono>{net.vnet}</Mono> },
          { label: 'VLAN', value: net && <Mono>{`VLAN ${net.vlan}`}</Mono> },
          { label: 'CIDR', value: net && <Mono>{net.cidr}</Mono> },
          { label: 'Gateway VIP', value: net && <Mono>{net.gatewayVip}</Mono> },
          {
            label: 'LAN CIDR',
            value: net?.lanCidr && <Mono>{net.lanCidr}</Mono>,
          },
          {
            label: 'Kubernetes namespaces',
            value: <ChipList items={spec.layer?.kubernetesNamespaces} />,
          },
        ]}
      />
      {net?.lanVips?.length ? (
        <>
          <Typography variant="subtitle2" style={{ marginTop: 16 }}>
            LAN VIPs
          </Typography>
          <MuiTable size="small" aria-label="LAN VIPs">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Address</TableCell>
                <TableCell>Ports</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {net.lanVips.map(vip => (
                <TableRow key={`${vip.name}-${vip.address}`}>
                  <TableCell>{vip.name}</TableCell>
                  <TableCell>
                    <Mono>{vip.address}</Mono>
                  </TableCell>
                  <TableCell>
                    {(vip.ports ?? [])
                      .map(p => `${p.protocol.toUpperCase()}/${p.port}`)
                      .join(', ')}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </MuiTable>
        </>
      ) : null}
    </InfoCard>
  );
}

/** The services that are part of this plane, with their hosts and acceptance commands. */
export function PlaneServicesCard() {
  const { entities, loading, error } = useRelatedEntities(useEntity().entity, {
    type: RELATION_HAS_PART,
    kind: 'component',
  });
  return (
    <InfoCard title="Member services">
      {loading && <Typography>Loading…</Typography>}
      {error && <Typography color="error">{error.message}</Typography>}
      {!loading && !error && !entities?.length && (
        <Typography color="textSecondary">
          No services in this plane.
        </Typography>
      )}
      {entities?.length ? (
        <MuiTable size="small" aria-label="Member services">
          <TableHead>
            <TableRow>
              <TableCell>Service</TableCell>
              <TableCell>Hosts</TableCell>
              <TableCell>Acceptance</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {entities.map(service => {
              const fabric = (service.spec as { fabric?: ServiceFabricSpec })
                ?.fabric;
              return (
                <TableRow key={service.metadata.name}>
                  <TableCell>
                    <EntityRefLink entityRef={service} />
                  </TableCell>
                  <TableCell>
                    {(fabric?.hosts ?? [])
                      .map(h => `${h.name} (${h.failureDomain ?? '-'})`)
                      .join(', ')}
                  </TableCell>
                  <TableCell>
                    {fabric?.acceptance && <Mono>{fabric.acceptance}</Mono>}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </MuiTable>
      ) : null}
      <Typography variant="body2" style={{ marginTop: 8 }}>
        <Link to="/catalog?filters[kind]=component&filters[type]=service">
          All services
        </Link>
      </Typography>
    </InfoCard>
  );
}
