import { InfoCard } from '@backstage/core-components';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  Table as MuiTable,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import type { TenantEntity } from '@internal/plugin-fabric-common';
import { ChipList, FactsTable, Mono } from './FactsTable';

function YesNo({ value }: { value?: boolean }) {
  return <span>{value ? 'yes' : 'no'}</span>;
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
            value: <ChipList items={spec.executeAllowlist} />,
          },
          {
            label: 'DR test cases',
            value: <ChipList items={spec.drTestCases} />,
          },
        ]}
      />
      <MuiTable size="small" aria-label="Consumers" style={{ marginTop: 16 }}>
        <TableHead>
          <TableRow>
            <TableCell>Provider</TableCell>
            <TableCell>Variant</TableCell>
            <TableCell>Enabled</TableCell>
            <TableCell>Ready</TableCell>
            <TableCell>Service</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {spec.consumers.map(c => (
            <TableRow key={c.provider}>
              <TableCell>{c.provider}</TableCell>
              <TableCell>{c.variant}</TableCell>
              <TableCell>
                <YesNo value={c.enabled} />
              </TableCell>
              <TableCell>
                <YesNo value={c.ready} />
              </TableCell>
              <TableCell>
                {c.service && (
                  <EntityRefLink
                    entityRef={c.service}
                    defaultKind="component"
                  />
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </MuiTable>
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
        <Typography color="textSecondary">No quotas declared.</Typography>
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
        <Typography color="textSecondary">No bindings declared.</Typography>
      ) : (
        <MuiTable size="small" aria-label="Bindings">
          <TableHead>
            <TableRow>
              <TableCell>Workload</TableCell>
              <TableCell>Consumer</TableCell>
              <TableCell>Environment</TableCell>
              <TableCell>Endpoint</TableCell>
              <TableCell>Service</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {bindings.map(b => (
              <TableRow key={`${b.workload}-${b.consumer}-${b.environment}`}>
                <TableCell>{b.workload}</TableCell>
                <TableCell>{b.consumer}</TableCell>
                <TableCell>{b.environment}</TableCell>
                <TableCell>
                  <Mono>{b.endpoint}</Mono>
                </TableCell>
                <TableCell>
                  {b.service && (
                    <EntityRefLink
                      entityRef={b.service}
                      defaultKind="component"
                    />
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </MuiTable>
      )}
    </InfoCard>
  );
}
