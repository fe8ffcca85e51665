import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Autocomplete from '@mui/material/Autocomplete';
import TextField from '@mui/material/TextField';
import { useEffect, useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  EntityTitlePickerUiOptions,
  TITLE_FIELDS,
  canonicalRef,
  entityTitle,
  readPickerOptions,
  tenantEnvironmentNames,
} from './pickerOptions';

type Option = { ref: string; title: string; secondary?: string };

const toOption = (entity: Entity): Option => ({
  ref: stringifyEntityRef(entity),
  title: entityTitle(entity),
  secondary: entity.metadata.description,
});

/**
 * `ui:field: FabricEntityPicker`: picks catalog entities by their title (`Project Birds`, not
 * `tenant:default/project-birds`) and stores their refs. `ui:options`: `catalogFilter` as for the
 * stock picker; `environmentsOfTenantField` limits the choice to the environments the tenant
 * chosen in that field lists (`spec.environments`). An array field picks several.
 */
export function EntityTitlePicker(
  props: FieldExtensionComponentProps<
    string | string[],
    EntityTitlePickerUiOptions
  >,
) {
  const {
    formData,
    onChange,
    formContext,
    uiSchema,
    schema,
    rawErrors,
    required,
    idSchema,
    disabled,
    readonly,
  } = props;
  const catalogApi = useApi(catalogApiRef);
  const options = readPickerOptions(uiSchema?.['ui:options']);
  const multiple = schema.type === 'array';
  const tenantValue = options.environmentsOfTenantField
    ? formContext?.formData?.[options.environmentsOfTenantField]
    : undefined;
  const tenantRef =
    typeof tenantValue === 'string' && tenantValue
      ? canonicalRef(tenantValue, 'Tenant')
      : undefined;

  const { value: entities, loading } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: options.catalogFilter,
      fields: [...TITLE_FIELDS, 'metadata.description'],
    });
    return items;
  }, [catalogApi, JSON.stringify(options.catalogFilter)]);

  const { value: allowedNames } = useAsync(async () => {
    if (!options.environmentsOfTenantField) return undefined;
    if (!tenantRef) return new Set<string>();
    const tenant = await catalogApi.getEntityByRef(tenantRef);
    return new Set(tenant ? tenantEnvironmentNames(tenant) : []);
  }, [catalogApi, tenantRef, options.environmentsOfTenantField]);

  const choices = useMemo(
    () =>
      (entities ?? [])
        .filter(e => !allowedNames || allowedNames.has(e.metadata.name))
        .map(toOption)
        .sort((a, b) => a.title.localeCompare(b.title)),
    [entities, allowedNames],
  );

  const values = Array.isArray(formData) ? formData : [formData ?? ''];
  const selectedRefs = values
    .filter(Boolean)
    .map(v => canonicalRef(v, options.defaultKind));
  const selected = selectedRefs.map(
    ref => choices.find(c => c.ref === ref) ?? { ref, title: ref },
  );

  // A value that is no longer offered (another tenant chosen) is cleared; a single choice that
  // is required is made for the user.
  useEffect(() => {
    if (
      loading ||
      !entities ||
      (options.environmentsOfTenantField && !allowedNames)
    ) {
      return;
    }
    const offered = new Set(choices.map(c => c.ref));
    const kept = selectedRefs.filter(ref => offered.has(ref));
    if (kept.length !== selectedRefs.length) {
      onChange(multiple ? kept : kept[0]);
    } else if (!multiple && !formData && required && choices.length === 1) {
      onChange(choices[0].ref);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [choices, loading]);

  const errors = rawErrors ?? [];
  return (
    <Autocomplete<Option, boolean>
      id={idSchema?.$id}
      multiple={multiple}
      options={choices}
      loading={loading}
      disabled={disabled || readonly}
      value={multiple ? selected : selected[0] ?? null}
      isOptionEqualToValue={(a, b) => a.ref === b.ref}
      getOptionLabel={o => o.title}
      onChange={(_event, value) => {
        if (Array.isArray(value)) onChange(value.map(v => v.ref));
        else onChange(value?.ref);
      }}
      renderOption={(liProps, option) => (
        <li {...liProps} key={option.ref}>
          {option.title}
        </li>
      )}
      noOptionsText={
        options.environmentsOfTenantField && !tenantRef
          ? 'Choose the tenant first'
          : 'Nothing you may choose'
      }
      renderInput={params => (
        <TextField
          {...params}
          label={schema.title}
          required={required}
          error={errors.length > 0}
          helperText={errors.length > 0 ? errors.join(' ') : schema.description}
          margin="normal"
        />
      )}
    />
  );
}
