import { InfoCard, Link } from '@backstage/core-components';
import {
  EntityRefLink,
  useEntity,
  useRelatedEntities,
} from '@backstage/plugin-catalog-react';
import { Entity, RELATION_HAS_PART } from '@backstage/catalog-model';
import { errorMessage } from '@internal/plugin-fabric-react';
import Typography from '@mui/material/Typography';
import type {
  PlaneEntity,
  PlaneLanVip,
  PlanePort,
  ServiceFabricSpec,
} from '@internal/plugin-fabric-common';
import { ChipList, FactsTable, Mono, SimpleTable } from './FactsTable';

export function formatPorts(ports?: ReadonlyArray<PlanePort>) {
  return (ports ?? [])
    .map(p => `${p.protocol.toUpperCase()}/${p.port}`)
    .join(', ');
}

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
          {
            label: 'Gateway VIP',
            value: net && <Mono>{net.gatewayVip}</Mono>,
          },
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
          <Typography
            variant="subtitle2"
            component="h2"
            style={{ marginTop: 16 }}
          >
            LAN VIPs
          </Typography>
          <SimpleTable<PlaneLanVip>
            label="LAN VIPs"
            rows={net.lanVips}
            rowKey={vip => `${vip.name}-${vip.address}`}
            columns={[
              { title: 'Name', render: vip => vip.name },
              { title: 'Address', render: vip => <Mono>{vip.address}</Mono> },
              { title: 'Ports', render: vip => formatPorts(vip.ports) },
            ]}
          />
        </>
      ) : null}
    </InfoCard>
  );
}

const fabricOf = (service: Entity) =>
  (service.spec as { fabric?: ServiceFabricSpec } | undefined)?.fabric;

/** The services that are part of this plane, with their hosts and acceptance commands. */
export function PlaneServicesCard() {
  const { entities, loading, error } = useRelatedEntities(useEntity().entity, {
    type: RELATION_HAS_PART,
    kind: 'component',
  });
  return (
    <InfoCard title="Member services">
      {loading && <Typography>Loading…</Typography>}
      {error && (
        <Typography color="error">{errorMessage(error)}</Typography>
      )}
      {!loading && !error && !entities?.length && (
        <Typography color="text.secondary">
          No services in this plane.
        </Typography>
      )}
      {entities?.length ? (
        <SimpleTable<Entity>
          label="Member services"
          rows={entities}
          rowKey={s => s.metadata.name}
          columns={[
            { title: 'Service', render: s => <EntityRefLink entityRef={s} /> },
            {
              title: 'Hosts',
              render: s =>
                (fabricOf(s)?.hosts ?? [])
                  .map(h => `${h.name} (${h.failureDomain ?? '-'})`)
                  .join(', '),
            },
            {
              title: 'Acceptance',
              render: s => {
                const acceptance = fabricOf(s)?.acceptance;
                return acceptance && <Mono>{acceptance}</Mono>;
              },
            },
          ]}
        />
      ) : null}
      <Typography variant="body2" style={{ marginTop: 8 }}>
        <Link to="/catalog?filters[kind]=component&filters[type]=service">
          All services
        </Link>
      </Typography>
    </InfoCard>
  );
}
