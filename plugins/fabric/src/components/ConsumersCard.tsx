import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  EntityRefLink,
  catalogApiRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  Entity,
  RELATION_DEPENDS_ON,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import Typography from '@mui/material/Typography';
import useAsync from 'react-use/esm/useAsync';
import { errorMessage } from '@internal/plugin-fabric-react';
import type {
  TenantConsumer,
  TenantEntity,
} from '@internal/plugin-fabric-common';
import { ChipList, SimpleTable } from './FactsTable';

// A tenant's relations live on the tenant's side only (shared planes and services never name a
// tenant, see the catalog module), so "who consumes this?" is asked the other way round: which
// Tenants depend on this entity. The catalog answers with the reader's own permissions, so an
// operator sees every consumer and a tenant member only their own tenant.

const TENANT_FIELDS = [
  'apiVersion',
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.owner',
  'spec.environments',
  'spec.consumers',
];

function sameRef(value: unknown, ref: string, defaultKind: string): boolean {
  if (typeof value !== 'string') return false;
  try {
    return (
      stringifyEntityRef(
        parseEntityRef(value, { defaultKind, defaultNamespace: 'default' }),
      ) === ref
    );
  } catch {
    return false;
  }
}

/** The tenant's consumers that point at this plane or service. */
export function consumersOf(
  tenant: TenantEntity,
  entity: Entity,
): TenantConsumer[] {
  const ref = stringifyEntityRef(entity);
  const kind = entity.kind.toLocaleLowerCase('en-US');
  return (tenant.spec?.consumers ?? []).filter(c =>
    kind === 'plane'
      ? sameRef(c.plane, ref, 'plane')
      : sameRef(c.service, ref, 'component'),
  );
}

/** Tenants that consume a plane or service, as far as the reader may see them. */
export function ConsumersCard() {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const ref = stringifyEntityRef(entity);
  const { value, loading, error } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Tenant', [`relations.${RELATION_DEPENDS_ON}`]: ref },
      fields: TENANT_FIELDS,
      order: { field: 'metadata.name', order: 'asc' },
    });
    return items as TenantEntity[];
  }, [catalogApi, ref]);
  const what =
    entity.kind.toLocaleLowerCase('en-US') === 'plane' ? 'plane' : 'service';
  return (
    <InfoCard
      title="Consumers"
      subheader={`Tenants that consume this ${what}, as far as you may see them`}
    >
      {loading && <Typography>Loading…</Typography>}
      {error && (
        <Typography color="error">{errorMessage(error)}</Typography>
      )}
      {value && (
        <SimpleTable<TenantEntity>
          label="Consuming tenants"
          rows={value}
          rowKey={t => stringifyEntityRef(t)}
          empty={`No tenant you may see consumes this ${what}.`}
          columns={[
            {
              title: 'Tenant',
              render: t => (
                <EntityRefLink
                  entityRef={t}
                  title={t.metadata.title ?? t.metadata.name}
                />
              ),
            },
            {
              title: 'Owner',
              render: t =>
                t.spec?.owner ? (
                  <EntityRefLink entityRef={t.spec.owner} defaultKind="group" />
                ) : null,
            },
            {
              title: 'Consumes',
              render: t => (
                <ChipList
                  items={consumersOf(t, entity).map(
                    c =>
                      `${c.provider} ${c.variant}${
                        c.ready ? '' : ' (not ready)'
                      }`,
                  )}
                />
              ),
            },
            {
              title: 'Environments',
              render: t => <ChipList items={t.spec?.environments} />,
            },
          ]}
        />
      )}
    </InfoCard>
  );
}
