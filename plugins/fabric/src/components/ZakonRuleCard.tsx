import {
  InfoCard,
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import type { ZakonRuleEntity } from '@internal/plugin-fabric-common';
import { ChipList, FactsTable, Mono } from './FactsTable';

export function ZakonStatus({ status }: { status?: string }) {
  switch (status) {
    case 'active':
      return <StatusOK>active</StatusOK>;
    case 'approved-pending-author':
      return <StatusPending>approved, pending author</StatusPending>;
    case 'legacy-pre-registry':
      return <StatusOK>legacy (pre-registry)</StatusOK>;
    default:
      return <StatusError>{status ?? 'unknown'}</StatusError>;
  }
}

/** Status, approval, published hash and scope of a ZAKON rule. */
export function ZakonRuleCard() {
  const { entity } = useEntity<ZakonRuleEntity>();
  const spec = entity.spec;
  return (
    <InfoCard title="ZAKON rule">
      <FactsTable
        facts={[
          { label: 'Rule id', value: <Mono>{spec.id}</Mono> },
          { label: 'Status', value: <ZakonStatus status={spec.status} /> },
          { label: 'Rule file', value: <Mono>{spec.ruleFile}</Mono> },
          { label: 'Tracking task', value: spec.trackingTask },
          { label: 'Approval token', value: <Mono>{spec.approvalToken}</Mono> },
          { label: 'Approval date', value: spec.approvalDate },
          { label: 'Approval method', value: spec.approvalMethod },
          {
            label: 'Published sha256',
            value: spec.publishedSha256 && (
              <Mono>
                <span style={{ wordBreak: 'break-all' }}>
                  {spec.publishedSha256}
                </span>
              </Mono>
            ),
          },
          { label: 'In scope', value: <ChipList items={spec.inScope} /> },
          {
            label: 'Escape valve',
            value: spec.escapeValve?.variable && (
              <Mono>{spec.escapeValve.variable}</Mono>
            ),
          },
          {
            label: 'Enforcement',
            value: <ChipList items={spec.enforcement} />,
          },
        ]}
      />
    </InfoCard>
  );
}
