import { stringifyEntityRef } from '@backstage/catalog-model';
import FormControl from '@mui/material/FormControl';
import FormHelperText from '@mui/material/FormHelperText';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  BINDING_CHANGE_ACTIONS,
  BindingChangeAction,
  TenantBinding,
  TenantEntity,
  tryCanonicalFabricRef,
} from '@internal/plugin-fabric-common';
import { ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { ChangeSummary, FieldErrors, TenantStatus } from './ChangeSummary';
import { TenantChangeUiOptions, bindingFields } from './options';
import { problemsAt, useTenantChange } from './tenantChange';

/** What the field holds: the fabric:tenant:diff `binding` input. */
export interface TenantBindingValue {
  action?: BindingChangeAction;
  workload?: string;
  consumer?: string;
  endpoint?: string;
  service?: string;
}

const ACTION_LABELS: Record<BindingChangeAction, string> = {
  add: 'Add a binding',
  replace: 'Point a current binding at a new endpoint',
  remove: 'Remove a current binding',
};

const title = (key: string) =>
  bindingFields.find(f => f.key === key)?.title ?? key;

const SEPARATOR = '\u0000';

/** The tenant's current bindings in the target environment. */
function bindingsIn(tenant: TenantEntity, environment: string) {
  const env = (value: string) =>
    tryCanonicalFabricRef(value, 'Resource', tenant) ?? value;
  return (tenant.spec.bindings ?? []).filter(
    b => env(b.environment) === env(environment),
  );
}

const describeBinding = (b: TenantBinding) =>
  `${b.workload} → ${b.consumer}: ${b.endpoint}${
    b.service ? ` (${b.service})` : ''
  }`;

/**
 * Binding change of a tenant proposal: replace and remove pick one of the tenant's current
 * bindings in the target environment (pre-filling its endpoint and service), add offers the
 * tenant's enabled consumers; the requested difference is shown below.
 */
export function TenantBindingField(
  props: FieldExtensionComponentProps<
    TenantBindingValue,
    TenantChangeUiOptions
  >,
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
  const value: TenantBindingValue = useMemo(() => formData ?? {}, [formData]);
  const action: BindingChangeAction = value.action ?? 'add';
  const request = useMemo(() => ({ ...value, action }), [value, action]);
  const state = useTenantChange(
    'binding-change',
    request,
    formContext?.formData,
    uiSchema?.['ui:options'],
  );
  const { tenant, environment } = state;
  const attempted = (rawErrors?.length ?? 0) > 0;
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const id = idSchema?.$id ?? 'binding';

  // Another tenant has other bindings and consumers: start over, keeping the action.
  const seenTenant = useRef<string>();
  useEffect(() => {
    if (!tenant) return;
    const ref = stringifyEntityRef(tenant);
    if (seenTenant.current && seenTenant.current !== ref) {
      onChange({ action });
      setTouched({});
    } else if (!formData?.action) {
      onChange({ ...value, action });
    }
    seenTenant.current = ref;
    // Only a new tenant resets the field.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tenant]);

  const set = (patch: TenantBindingValue) => {
    setTouched(t => ({
      ...t,
      ...Object.fromEntries(Object.keys(patch).map(k => [k, true])),
    }));
    const next: TenantBindingValue = { ...value, action, ...patch };
    for (const key of Object.keys(next) as Array<keyof TenantBindingValue>) {
      if (next[key] === '') delete next[key];
    }
    onChange(next);
  };
  const errorsAt = (key: string) =>
    touched[key] || attempted
      ? problemsAt(state.plan, path => path === `binding.${key}`)
      : [];
  const field = (
    key: 'workload' | 'endpoint' | 'service',
    extra: { placeholder?: string; helper?: ReactNode },
  ) => {
    const errors = errorsAt(key);
    return (
      <TextField
        id={`${id}-${key}`}
        label={title(key)}
        value={value[key] ?? ''}
        onChange={e => set({ [key]: e.target.value })}
        placeholder={extra.placeholder}
        disabled={disabled || readonly}
        error={errors.length > 0}
        helperText={errors.join(' ') || extra.helper}
        margin="dense"
        fullWidth
      />
    );
  };

  const current = tenant && environment ? bindingsIn(tenant, environment) : [];
  const chosen = current.find(
    b => b.workload === value.workload && b.consumer === value.consumer,
  );
  const consumers = (tenant?.spec.consumers ?? []).filter(c => c.enabled);
  // "Already bound" / "not a current binding" are about workload and consumer together.
  const actionErrors =
    (value.workload && value.consumer) || attempted
      ? problemsAt(state.plan, path => path === 'binding.action')
      : [];

  return (
    <FormControl fullWidth margin="normal" component="fieldset">
      <Typography variant="h6" component="legend">
        {schema.title ?? 'Binding'}
      </Typography>
      {schema.description && (
        <Typography variant="body2" color="text.secondary">
          {schema.description}
        </Typography>
      )}
      <TenantStatus state={state} what="bindings" />
      {tenant && !environment && (
        <Typography variant="body2" color="text.secondary">
          Pick the target environment; its current bindings appear here.
        </Typography>
      )}
      {tenant && environment && (
        <>
          <TextField
            id={`${id}-action`}
            select
            label={title('action')}
            value={action}
            onChange={e =>
              // A new action starts a new binding choice.
              onChange({ action: e.target.value as BindingChangeAction })
            }
            disabled={disabled || readonly}
            margin="dense"
            fullWidth
          >
            {BINDING_CHANGE_ACTIONS.map(a => (
              <MenuItem key={a} value={a}>
                {ACTION_LABELS[a]}
              </MenuItem>
            ))}
          </TextField>

          {action === 'add' ? (
            <>
              {current.length > 0 && (
                <Typography variant="body2" color="text.secondary">
                  Bound in {environment} now:{' '}
                  {current.map(describeBinding).join('; ')}
                </Typography>
              )}
              {field('workload', { helper: 'e.g. api' })}
              <TextField
                id={`${id}-consumer`}
                select
                label={title('consumer')}
                value={value.consumer ?? ''}
                onChange={e => set({ consumer: e.target.value })}
                disabled={disabled || readonly}
                error={errorsAt('consumer').length > 0}
                helperText={
                  errorsAt('consumer').join(' ') ||
                  (consumers.length === 0
                    ? `${tenant.metadata.name} has no enabled consumer to bind`
                    : undefined)
                }
                margin="dense"
                fullWidth
              >
                {consumers.map(c => (
                  <MenuItem key={c.provider} value={c.provider}>
                    {c.provider} ({c.variant})
                  </MenuItem>
                ))}
              </TextField>
            </>
          ) : (
            <TextField
              id={`${id}-current`}
              select
              label={`Current binding in ${environment}`}
              value={
                chosen ? `${chosen.workload}${SEPARATOR}${chosen.consumer}` : ''
              }
              onChange={e => {
                const [workload, consumer] = e.target.value.split(SEPARATOR);
                const picked = current.find(
                  b => b.workload === workload && b.consumer === consumer,
                );
                // Pre-fill the binding as it is, so a replace edits it.
                set(
                  action === 'replace' && picked
                    ? {
                        workload,
                        consumer,
                        endpoint: picked.endpoint,
                        service: picked.service ?? '',
                      }
                    : { workload, consumer },
                );
              }}
              disabled={disabled || readonly || current.length === 0}
              error={actionErrors.length > 0 || current.length === 0}
              helperText={
                actionErrors.join(' ') ||
                (current.length === 0
                  ? `${tenant.metadata.name} has no bindings in ${environment}; choose add`
                  : undefined)
              }
              margin="dense"
              fullWidth
            >
              {current.map(b => (
                <MenuItem
                  key={`${b.workload}${SEPARATOR}${b.consumer}`}
                  value={`${b.workload}${SEPARATOR}${b.consumer}`}
                >
                  {describeBinding(b)}
                </MenuItem>
              ))}
            </TextField>
          )}
          {action === 'add' && actionErrors.length > 0 && (
            <FormHelperText error>{actionErrors.join(' ')}</FormHelperText>
          )}

          {action !== 'remove' &&
            field('endpoint', {
              placeholder: 'host:port',
              helper: 'e.g. postgres-birds.infra.samakia.net:5432',
            })}
          {action !== 'remove' &&
            field('service', {
              placeholder: chosen?.service ?? 'component:default/postgresql',
              helper:
                action === 'replace'
                  ? 'The catalogued service behind the endpoint; blank keeps the current one'
                  : 'The catalogued service behind the endpoint (optional)',
            })}

          <ChangeSummary
            state={state}
            attempted={attempted}
            problems={problemsAt(
              state.plan,
              path => !path.startsWith('binding.'),
            )}
          />
        </>
      )}
      {attempted && !state.plan && <FieldErrors messages={rawErrors} />}
    </FormControl>
  );
}
