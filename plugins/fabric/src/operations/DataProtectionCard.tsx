import useAsync from 'react-use/esm/useAsync';
import { InfoCard, Link } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  Mono,
  SimpleTable,
  errorMessage,
  isResponseError,
  formatTime,
} from '@internal/plugin-fabric-react';
import Grid from '@mui/material/Grid';
import Typography from '@mui/material/Typography';
import { FactsTable } from '../components/FactsTable';
import { useFabricOpsClient } from './FabricOpsClient';
import { StatusChip, formatAge } from './HealthCard';

/** Annotations this card reads; all free text taken from the seeds. */
export const DATA_PROTECTION_ANNOTATIONS = {
  storageClass: 'fabric.samakia.io/storage-class',
  dataTier: 'fabric.samakia.io/data-tier',
  retention: 'fabric.samakia.io/retention',
  rpo: 'fabric.samakia.io/rpo',
  rto: 'fabric.samakia.io/rto',
  dataTiers: 'fabric.samakia.io/data-tiers',
} as const;

/** The latest run of each backup/DR target the entity names, from the health API. */
function BackupEvidence({ entityRef }: { entityRef: string }) {
  const client = useFabricOpsClient();
  const health = useAsync(() => client.health(entityRef), [client, entityRef]);
  if (health.loading) return <Typography>Loading…</Typography>;
  if (health.error) {
    const refused =
      isResponseError(health.error) && health.error.statusCode === 403;
    return (
      <Typography color={refused ? 'text.secondary' : 'error'} variant="body2">
        {refused
          ? 'Backup and DR evidence is shown to operators and to consuming tenants.'
          : errorMessage(health.error)}
      </Typography>
    );
  }
  const h = health.value!;
  return (
    <>
      <SimpleTable
        label="Backup and DR evidence"
        rows={h.targets}
        rowKey={t => t.target}
        empty="This entity names no backup or DR run."
        columns={[
          {
            title: 'Run',
            render: t => (
              <span style={{ whiteSpace: 'nowrap' }}>
                <Mono>{t.target}</Mono>
              </span>
            ),
          },
          { title: 'Status', render: t => <StatusChip status={t.status} /> },
          {
            title: 'Latest packet',
            render: t =>
              t.latest ? (
                <Link to={`/evidence/packets/${t.latest.packetId}`}>
                  {formatTime(t.latest.timestamp)} ({formatAge(t.latest.ageMs)}{' '}
                  ago), {t.latest.result ?? 'no result'}, {t.latest.verdict}
                </Link>
              ) : (
                'no packet'
              ),
          },
        ]}
      />
      <Typography
        variant="body2"
        color="text.secondary"
        style={{ marginTop: 8 }}
      >
        A run older than {formatAge(h.staleAfterMs)} is stale: it no longer
        shows the objectives are met.
      </Typography>
    </>
  );
}

/**
 * Storage class, data tier and retention of a store, or the recovery objectives of a plane
 * beside the latest backup/DR evidence (the runs its acceptance targets name).
 */
export function DataProtectionCard() {
  const { entity } = useEntity();
  const a = entity.metadata.annotations ?? {};
  const get = (key: keyof typeof DATA_PROTECTION_ANNOTATIONS) =>
    a[DATA_PROTECTION_ANNOTATIONS[key]];
  const hasEvidence = Boolean(a['fabric.samakia.io/acceptance-targets']);
  return (
    <InfoCard title="Data protection">
      <Grid container spacing={2}>
        <Grid item xs={12}>
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
        </Grid>
        {hasEvidence ? (
          <Grid item xs={12}>
            <BackupEvidence entityRef={stringifyEntityRef(entity)} />
          </Grid>
        ) : (
          <Grid item xs={12}>
            <Typography variant="body2" color="text.secondary">
              No backup or DR evidence is attached yet: no acceptance target
              names a backup or restore run for this entity.
            </Typography>
          </Grid>
        )}
      </Grid>
    </InfoCard>
  );
}
