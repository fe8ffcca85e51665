import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { TenantChangeRow } from '@internal/plugin-fabric-common';
import { useEffect } from 'react';
import { TenantChangeUiOptions, fieldLabel, readSiblings } from './options';
import { partOf, useTenantChange } from './tenantChange';

/** `Memory (GiB): 32 → 48; Connections: 200 → 250`: the difference in one line. */
export function differenceText(rows: TenantChangeRow[]): string {
  return rows
    .map(
      row =>
        `${fieldLabel(row.field) ?? row.field}: ${row.current} → ${
          row.requested
        }`,
    )
    .join('; ');
}

/**
 * `ui:field: FabricChangeDifference`: holds the requested difference (current → requested)
 * of the tenant change the form plans, as text, so the scaffolder's Review step lists it
 * before Create. It draws nothing: the quota and binding fields show the difference as a
 * table while the user edits. The backend never reads it (fabric:tenant:diff plans again).
 */
export function ChangeDifferenceField(
  props: FieldExtensionComponentProps<string, TenantChangeUiOptions>,
) {
  const { formData, onChange, formContext, uiSchema } = props;
  const siblings = readSiblings(
    formContext?.formData,
    uiSchema?.['ui:options'],
  );
  const changeType = siblings.changeType ?? 'capacity-change';
  const state = useTenantChange(
    changeType,
    formContext?.formData?.[partOf(changeType)],
    formContext?.formData,
    uiSchema?.['ui:options'],
  );
  const text = state.plan?.ok ? differenceText(state.plan.rows) : undefined;
  useEffect(() => {
    if (text !== formData) onChange(text);
    // Follows the plan only; its own value is what it wrote.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);
  return null;
}
