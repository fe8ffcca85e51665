import { useApi } from '@backstage/frontend-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { driftApiRef } from '@internal/plugin-drift';
import type { DriftRunSummary } from '@internal/plugin-drift-common';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { CitationColumn, CitationTable } from './CitationTable';
import {
  CitationFieldset,
  citationStatus,
  useClearOnChange,
  useKeepOffered,
} from './citations';
import { driftRunLabel, listCitableRuns, shortTime } from './citationSources';
import { TenantChangeUiOptions, readSiblings } from './options';
import { refName } from './pickerOptions';

const columns: CitationColumn<DriftRunSummary>[] = [
  { header: 'Observed', cell: run => shortTime(run.observedAt), nowrap: true },
  { header: 'Source', cell: run => run.source },
  { header: 'Verdict', cell: run => run.verdict, nowrap: true },
  {
    header: 'Findings (pass / warn / fail)',
    cell: run => `${run.counts.pass} / ${run.counts.warn} / ${run.counts.fail}`,
  },
];

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
  const listed = useAsync(
    async () =>
      tenantRef && environment
        ? listCitableRuns(driftApi, tenantRef, environment)
        : [],
    [driftApi, tenantRef, environment],
  );
  const runs = listed.value ?? [];
  useKeepOffered(listed.value, picks, id => id, onChange);

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

  return (
    <CitationFieldset
      title={schema.title ?? 'Drift runs'}
      description={schema.description}
      rawErrors={props.rawErrors}
    >
      {status ?? (
        <CitationTable
          label="Drift runs to cite"
          rows={runs}
          rowKey={run => run.id}
          isPicked={run => picks.includes(run.id)}
          onToggle={(run, on) =>
            onChange(on ? [...picks, run.id] : picks.filter(p => p !== run.id))
          }
          checkboxLabel={run => `Cite drift run ${driftRunLabel(run)}`}
          columns={columns}
          disabled={props.disabled || props.readonly}
        />
      )}
    </CitationFieldset>
  );
}
