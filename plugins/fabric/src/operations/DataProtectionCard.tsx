import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Typography } from '@material-ui/core';
import { FactsTable } from '../components/FactsTable';

/** Annotations this card reads; all free text taken from the seeds. */
export const DATA_PROTECTION_ANNOTATIONS = {
  storageClass: 'fabric.samakia.io/storage-class',
  dataTier: 'fabric.samakia.io/data-tier',
  retention: 'fabric.samakia.io/retention',
  rpo: 'fabric.samakia.io/rpo',
  rto: 'fabric.samakia.io/rto',
  dataTiers: 'fabric.samakia.io/data-tiers',
} as const;

/**
 * Storage class, data tier and retention of a store, or the recovery objectives of a plane.
 * The objectives are declared targets; backup and DR evidence shows on the health card once a
 * backup or DR run is named as an acceptance target.
 */
export function DataProtectionCard() {
  const { entity } = useEntity();
  const a = entity.metadata.annotations ?? {};
  const get = (key: keyof typeof DATA_PROTECTION_ANNOTATIONS) =>
    a[DATA_PROTECTION_ANNOTATIONS[key]];
  const hasEvidence = Boolean(a['fabric.samakia.io/acceptance-targets']);
  return (
    <InfoCard title="Data protection">
      <FactsTable
        facts={[
          { label: 'Storage class', value: get('storageClass') },
          { label: 'Data tier', value: get('dataTier') },
          { label: 'Retention', value: get('retention') },
          { label: 'RPO (declared)', value: get('rpo') },
          { label: 'RTO (declared)', value: get('rto') },
          { label: 'Data tiers', value: get('dataTiers') },
        ]}
      />
      <Typography
        variant="body2"
        color="textSecondary"
        style={{ marginTop: 8 }}
      >
        {hasEvidence
          ? 'The latest runs proving these are on the health card.'
          : 'No backup or DR evidence is attached yet: no acceptance target names a backup or restore run for this entity.'}
      </Typography>
    </InfoCard>
  );
}
