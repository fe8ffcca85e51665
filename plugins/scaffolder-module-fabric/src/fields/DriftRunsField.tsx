import { useApi } from '@backstage/frontend-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { driftApiRef } from '@internal/plugin-drift';
import type { DriftRunSummary } from '@internal/plugin-drift-common';
import Checkbox from '@mui/material/Checkbox';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { useEffect, useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  CitationFieldset,
  citationStatus,
  nowrap,
  refName,
  shortTime,
  useClearOnChange,
} from './citations';
import { TenantChangeUiOptions, readSiblings } from './options';

/** How many of the newest runs the field offers. */
export const DRIFT_RUNS_OFFERED = 20;

/**
 * `ui:field: FabricDriftRuns`: the drift runs of the tenant in the target environment chosen
 * in the form (last 30 days, newest first, as the signed-in user may read them through the
 * drift plugin's API); the user ticks the runs the proposal cites. Another tenant or
 * environment clears the picks.
 */
export function DriftRunsField(
  props: FieldExtensionComponentProps<string[], TenantChangeUiOptions>,
) {
  const { formData, onChange, formContext, uiSchema, schema } = props;
  const driftApi = useApi(driftApiRef);
  const { tenantRef, environment } = readSiblings(
    formContext?.formData,
    uiSchema?.['ui:options'],
  );
  const picks = useMemo(() => formData ?? [], [formData]);
  useClearOnChange(`${tenantRef}|${environment}`, picks.length > 0, () =>
    onChange([]),
  );

  const ready = tenantRef && environment;
  const listed = useAsync(async (): Promise<DriftRunSummary[]> => {
    if (!ready) return [];
    const history = await driftApi.getHistory({
      tenant: tenantRef,
      environment,
      limit: DRIFT_RUNS_OFFERED,
    });
    return [...history.items].sort((a, b) =>
      b.observedAt.localeCompare(a.observedAt),
    );
  }, [driftApi, tenantRef, environment]);
  const runs = listed.value ?? [];
  useEffect(() => {
    if (!listed.value) return;
    const offered = new Set(listed.value.map(r => r.id));
    if (picks.some(id => !offered.has(id))) {
      onChange(picks.filter(id => offered.has(id)));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [listed.value]);

  const where = ready ? `${refName(tenantRef)} in ${refName(environment)}` : '';
  const status = citationStatus({
    missing: ready
      ? undefined
      : 'Pick the tenant and the target environment first; their drift runs appear here.',
    loading: listed.loading,
    error: listed.error,
    what: `drift runs of ${where}`,
    empty: runs.length === 0,
    emptyText: `No drift run of ${where} in the last 30 days that you may read. You can submit without citing one.`,
  });
  const toggle = (id: string, on: boolean) =>
    onChange(on ? [...picks, id] : picks.filter(p => p !== id));

  return (
    <CitationFieldset
      title={schema.title ?? 'Drift runs'}
      description={schema.description}
      rawErrors={props.rawErrors}
    >
      {status ?? (
        <Table size="small" aria-label="Drift runs to cite">
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox" sx={nowrap}>
                Cite
              </TableCell>
              <TableCell>Observed</TableCell>
              <TableCell>Source</TableCell>
              <TableCell>Verdict</TableCell>
              <TableCell>Findings (pass / warn / fail)</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {runs.map(run => {
              const label = `${run.source} at ${shortTime(run.observedAt)}`;
              const checked = picks.includes(run.id);
              return (
                <TableRow key={run.id} selected={checked}>
                  <TableCell padding="checkbox">
                    <Checkbox
                      checked={checked}
                      onChange={e => toggle(run.id, e.target.checked)}
                      disabled={props.disabled || props.readonly}
                      inputProps={{ 'aria-label': `Cite drift run ${label}` }}
                    />
                  </TableCell>
                  <TableCell sx={nowrap}>{shortTime(run.observedAt)}</TableCell>
                  <TableCell>{run.source}</TableCell>
                  <TableCell sx={nowrap}>{run.verdict}</TableCell>
                  <TableCell>
                    {run.counts.pass} / {run.counts.warn} / {run.counts.fail}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </CitationFieldset>
  );
}
