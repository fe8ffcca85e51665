import { parseEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import type { EnvironmentEntity } from '@internal/plugin-fabric-common';
import { ChipList, FactsTable } from './FactsTable';

/**
 * A rung of an environment ladder: which ladder, its position, the rung a promotion goes to
 * and, on the run-operate ladder, the parity contract (what must match, what may differ).
 */
export function EnvironmentLadderCard() {
  const { entity } = useEntity<EnvironmentEntity>();
  const spec = entity.spec;
  return (
    <InfoCard title="Environment ladder">
      <FactsTable
        facts={[
          { label: 'Ladder', value: spec.ladder },
          {
            label: 'Rung',
            value: `${spec.rung}${
              spec.planned ? ' (planned, not built yet)' : ''
            }`,
          },
          {
            label: 'Promotes to',
            value: spec.next ? (
              // `next` names a rung by its entity name; EntityRefLink needs the whole ref.
              <EntityRefLink
                entityRef={parseEntityRef(spec.next, {
                  defaultKind: 'resource',
                  defaultNamespace: entity.metadata.namespace ?? 'default',
                })}
              />
            ) : (
              'top of the ladder'
            ),
          },
          { label: 'Promotion into this rung', value: spec.promotion },
          {
            label: 'Parity: must match',
            value: spec.parity ? (
              <ChipList items={spec.parity.mustMatch} />
            ) : undefined,
          },
          {
            label: 'Parity: may differ',
            value: spec.parity ? (
              <ChipList items={spec.parity.mayDiffer} />
            ) : undefined,
          },
        ]}
      />
    </InfoCard>
  );
}
