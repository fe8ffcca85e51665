import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  DefaultEntityFilters,
  EntityFilter,
  useEntityList,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import Box from '@mui/material/Box';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';

/** Filters the catalog list on one spec field (dot path) with the chosen values. */
export class SpecFieldFilter implements EntityFilter {
  constructor(readonly field: string, readonly values: string[]) {}

  getCatalogFilters() {
    return { [this.field]: this.values };
  }

  filterEntity(entity: Entity) {
    const value = this.field
      .split('.')
      .reduce<any>((acc, key) => (acc === undefined ? acc : acc[key]), entity);
    const actual = Array.isArray(value) ? value.map(String) : [String(value)];
    return actual.some(v => this.values.includes(v));
  }

  toQueryValue() {
    return this.values;
  }
}

type FabricFilters = DefaultEntityFilters & {
  [key: `fabric:${string}`]: SpecFieldFilter | undefined;
};

/**
 * A drop-down for a spec field of one of our kinds; shown only when the kind filter selects
 * that kind, so the generic catalog list stays uncluttered.
 */
export function SpecFieldPicker(props: {
  kind: string;
  field: string;
  label: string;
}) {
  const { kind, field, label } = props;
  const catalogApi = useApi(catalogApiRef);
  const { filters, updateFilters } = useEntityList<FabricFilters>();
  const key = `fabric:${field}` as const;
  const [selected, setSelected] = useState<string>('');
  const activeKind = filters.kind?.value?.toLowerCase();

  const facets = useAsync(async () => {
    if (activeKind !== kind.toLowerCase()) return [];
    const res = await catalogApi.getEntityFacets({
      filter: { kind },
      facets: [field],
    });
    return (res.facets[field] ?? []).map(f => f.value).sort();
  }, [catalogApi, activeKind, kind, field]);

  useEffect(() => {
    if (activeKind !== kind.toLowerCase() && selected) {
      setSelected('');
    }
  }, [activeKind, kind, selected]);

  useEffect(() => {
    updateFilters({
      [key]:
        selected && activeKind === kind.toLowerCase()
          ? new SpecFieldFilter(field, [selected])
          : undefined,
    } as Partial<FabricFilters>);
  }, [selected, activeKind, kind, field, key, updateFilters]);

  if (activeKind !== kind.toLowerCase()) return null;
  return (
    <Box pb={1} pt={1}>
      <FormControl fullWidth variant="outlined" size="small">
        <InputLabel id={`picker-${field}`}>{label}</InputLabel>
        <Select
          id={`picker-${field}-select`}
          labelId={`picker-${field}`}
          label={label}
          value={selected}
          onChange={e => setSelected(String(e.target.value))}
        >
          <MenuItem value="">
            <em>All</em>
          </MenuItem>
          {(facets.value ?? []).map(v => (
            <MenuItem key={v} value={v}>
              {v}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
    </Box>
  );
}
