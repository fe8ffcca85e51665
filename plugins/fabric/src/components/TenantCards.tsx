import { InfoCard } from '@backstage/core-components';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import {
  PROVIDER_CONTRACT_TYPE,
  showInvisibleCharacters,
  type LegalHold,
  type TenantBinding,
  type TenantConsumer,
  type TenantEntity,
} from '@internal/plugin-fabric-common';
import { ChipList, FactsTable, Mono, SimpleTable } from './FactsTable';

function YesNo({ value }: { value?: boolean }) {
  return <span>{value ? 'yes' : 'no'}</span>;
}

/** The tenant's legal hold in one line: retention keeps its data while it is set. */
function LegalHoldLine({ hold }: { hold?: LegalHold }) {
  if (!hold) return <span>none</span>;
  return (
    <span>
      <Chip
        size="small"
        color="warning"
        label={`On hold since ${hold.since}${
          hold.caseRef ? ` (${showInvisibleCharacters(hold.caseRef)})` : ''
        }`}
        style={{ marginRight: 8 }}
      />
      {showInvisibleCharacters(hold.reason)}; set by{' '}
      <EntityRefLink entityRef={hold.setBy} defaultKind="group" />
    </span>
  );
}

/** Owner, environments and enabled consumers (substrate primitives) of a tenant. */
export function TenantConsumersCard() {
  const { entity } = useEntity<TenantEntity>();
  const spec = entity.spec;
  return (
    <InfoCard title="Consumers">
      <FactsTable
        facts={[
          {
            label: 'Owner',
            value: <EntityRefLink entityRef={spec.owner} defaultKind="group" />,
          },
          {
            label: 'Environments',
            value: <ChipList items={spec.environments} />,
          },
          {
            label: 'Execute allowlist',
            // environment/provider/variant, the seed's allowlist key.
            value: (
              <ChipList
                items={spec.executeAllowlist?.map(
                  e => `${e.environment}/${e.provider}/${e.variant}`,
                )}
              />
            ),
          },
          {
            label: 'DR test cases',
            value: <ChipList items={spec.drTestCases} />,
          },
          {
            label: 'Legal hold',
            value: <LegalHoldLine hold={spec.legalHold} />,
          },
        ]}
      />
      <SimpleTable<TenantConsumer>
        label="Consumers"
        style={{ marginTop: 16 }}
        rows={spec.consumers}
        rowKey={c => c.provider}
        columns={[
          { title: 'Provider', render: c => c.provider },
          {
            title: 'Contract type',
            render: c => PROVIDER_CONTRACT_TYPE[c.provider] ?? '',
          },
          { title: 'Variant', render: c => c.variant },
          { title: 'Enabled', render: c => <YesNo value={c.enabled} /> },
          { title: 'Ready', render: c => <YesNo value={c.ready} /> },
          {
            title: 'Service',
            render: c =>
              c.service && (
                <EntityRefLink entityRef={c.service} defaultKind="component" />
              ),
          },
        ]}
      />
    </InfoCard>
  );
}

/** Capacity quotas from the tenant's capacity contract. */
export function TenantQuotasCard() {
  const { entity } = useEntity<TenantEntity>();
  const quotas = (entity.spec.quotas ?? {}) as Record<string, unknown>;
  const entries = Object.entries(quotas);
  return (
    <InfoCard title="Capacity quotas">
      {entries.length === 0 ? (
        <Typography color="text.secondary">No quotas declared.</Typography>
      ) : (
        <FactsTable
          facts={entries.map(([k, v]) => ({
            label: k,
            value: <Mono>{String(v)}</Mono>,
          }))}
        />
      )}
    </InfoCard>
  );
}

/** Bindings of the tenant's workloads to substrate endpoints. */
export function TenantBindingsCard() {
  const { entity } = useEntity<TenantEntity>();
  const bindings = entity.spec.bindings ?? [];
  return (
    <InfoCard title="Bindings">
      {bindings.length === 0 ? (
        <Typography color="text.secondary">No bindings declared.</Typography>
      ) : (
        <SimpleTable<TenantBinding>
          label="Bindings"
          rows={bindings}
          rowKey={b => `${b.workload}-${b.consumer}-${b.environment}`}
          columns={[
            { title: 'Workload', render: b => b.workload },
            { title: 'Consumer', render: b => b.consumer },
            { title: 'Environment', render: b => b.environment },
            { title: 'Endpoint', render: b => <Mono>{b.endpoint}</Mono> },
            {
              title: 'Service',
              render: b =>
                b.service && (
                  <EntityRefLink
                    entityRef={b.service}
                    defaultKind="component"
                  />
                ),
            },
          ]}
        />
      )}
    </InfoCard>
  );
}
