import { stringifyEntityRef } from '@backstage/catalog-model';
import FormControl from '@mui/material/FormControl';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { TenantQuotas } from '@internal/plugin-fabric-common';
import { useEffect, useRef } from 'react';
import { ChangeSummary, FieldErrors, TenantStatus } from './ChangeSummary';
import { TenantChangeUiOptions, quotaFields } from './options';
import { problemsAt, useTenantChange } from './tenantChange';

/** What the field holds: the requested quotas; a blank quota keeps its current value. */
export type TenantQuotasValue = Partial<Record<keyof TenantQuotas, number>>;

const isEmpty = (value: TenantQuotasValue | undefined) =>
  !value || Object.values(value).every(v => v === undefined);

/**
 * Capacity change of a tenant proposal: one input per quota of the domain's quota schema,
 * pre-filled with the tenant's current quotas, with the requested difference below.
 */
export function TenantQuotasField(
  props: FieldExtensionComponentProps<TenantQuotasValue, TenantChangeUiOptions>,
) {
  const {
    formData,
    onChange,
    formContext,
    uiSchema,
    schema,
    rawErrors,
    idSchema,
    disabled,
    readonly,
  } = props;
  const state = useTenantChange(
    'capacity-change',
    formData,
    formContext?.formData,
    uiSchema?.['ui:options'],
  );
  const { tenant } = state;

  // Pre-fill once per tenant: on first sight (unless the form already holds values, e.g. after
  // going back from the review) and again whenever the user picks another tenant.
  const prefilledFor = useRef<string>();
  useEffect(() => {
    if (!tenant) return;
    const ref = stringifyEntityRef(tenant);
    if (
      isEmpty(formData) ||
      (prefilledFor.current && prefilledFor.current !== ref)
    ) {
      onChange({ ...tenant.spec.quotas });
    }
    prefilledFor.current = ref;
    // Only a new tenant should pre-fill; edits must not be overwritten.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tenant]);

  const setQuota = (key: string, text: string) => {
    const next: Record<string, number | undefined> = { ...formData };
    next[key] = text.trim() === '' ? undefined : Number(text);
    onChange(next as TenantQuotasValue);
  };
  const attempted = (rawErrors?.length ?? 0) > 0;
  const id = idSchema?.$id ?? 'quotas';

  return (
    <FormControl fullWidth margin="normal" component="fieldset">
      <Typography variant="h6" component="legend">
        {schema.title ?? 'New quotas'}
      </Typography>
      {schema.description && (
        <Typography variant="body2" color="text.secondary">
          {schema.description}
        </Typography>
      )}
      <TenantStatus state={state} what="quotas" />
      {tenant && (
        <Table size="small" aria-label="Quotas">
          <TableHead>
            <TableRow>
              <TableCell>Quota</TableCell>
              <TableCell>Current</TableCell>
              <TableCell>Requested</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {quotaFields.map(field => {
              const key = field.key as keyof TenantQuotas;
              const errors = problemsAt(
                state.plan,
                path => path === `quotas.${key}`,
              );
              const value = formData?.[key];
              const current = tenant.spec.quotas[key];
              const changed = value !== undefined && value !== current;
              let hint: string | undefined;
              if (errors.length > 0) hint = errors.join(' ');
              else if (changed) hint = `${current} → ${value}`;
              return (
                <TableRow key={key}>
                  <TableCell>
                    <label htmlFor={`${id}-${key}`}>{field.title}</label>
                  </TableCell>
                  <TableCell>{current}</TableCell>
                  <TableCell>
                    <TextField
                      id={`${id}-${key}`}
                      type="number"
                      size="small"
                      value={value ?? ''}
                      placeholder={String(current)}
                      onChange={e => setQuota(key, e.target.value)}
                      disabled={disabled || readonly}
                      error={errors.length > 0}
                      helperText={hint}
                      inputProps={{
                        min: field.minimum,
                        step: field.integer ? 1 : 'any',
                      }}
                    />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {tenant && (
        <ChangeSummary
          state={state}
          attempted={attempted}
          problems={problemsAt(state.plan, path => !path.startsWith('quotas.'))}
          // Right after the pre-fill nothing changes yet: a hint, not an error.
          hint={problemsAt(state.plan, path => path === 'quotas')[0]}
        />
      )}
      {attempted && !state.plan && <FieldErrors messages={rawErrors} />}
    </FormControl>
  );
}
