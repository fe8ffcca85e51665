import { useState } from 'react';
import Grid from '@mui/material/Grid';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { shortRef } from './common';

export type Option = { value: string; label: string };

export const QUEUE_FILTERS = [
  'tenant',
  'environment',
  'state',
  'type',
  'q',
] as const;
export type QueueFilterKey = (typeof QUEUE_FILTERS)[number];

/** One select; a value from the URL (a link from a tenant page) shows even without its option. */
function FilterSelect(props: {
  id: string;
  label: string;
  value: string;
  options: Option[];
  onChange: (value: string) => void;
}) {
  const { id, label, value, onChange } = props;
  const options =
    value && !props.options.some(o => o.value === value)
      ? [...props.options, { value, label: shortRef(value) }]
      : props.options;
  return (
    <TextField
      id={id}
      select
      fullWidth
      variant="standard"
      label={label}
      value={value}
      // "Any" shows as a value, not as an empty field under a floating label.
      SelectProps={{ displayEmpty: true }}
      InputLabelProps={{ shrink: true }}
      onChange={e => onChange(e.target.value)}
    >
      <MenuItem value="">Any</MenuItem>
      {options.map(o => (
        <MenuItem key={o.value} value={o.value}>
          {o.label}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** The queue's search box and filters; every field has an id its label is tied to. */
export function QueueFilters(props: {
  values: Record<QueueFilterKey, string>;
  options: Record<'tenant' | 'environment' | 'state' | 'type', Option[]>;
  onChange: (key: QueueFilterKey, value: string) => void;
}) {
  const { values, options, onChange } = props;
  const [search, setSearch] = useState(values.q);
  const selects: { key: keyof typeof options; label: string }[] = [
    { key: 'tenant', label: 'Tenant' },
    { key: 'environment', label: 'Environment' },
    { key: 'state', label: 'State' },
    { key: 'type', label: 'Type' },
  ];
  return (
    <Grid container spacing={2} alignItems="flex-end">
      <Grid item xs={12} md={4}>
        <form
          role="search"
          onSubmit={e => {
            e.preventDefault();
            onChange('q', search.trim());
          }}
        >
          <TextField
            id="approvals-search"
            fullWidth
            variant="standard"
            type="search"
            label="Search title, tenant or id"
            value={search}
            inputProps={{ maxLength: 200 }}
            onChange={e => setSearch(e.target.value)}
            onBlur={() => onChange('q', search.trim())}
          />
        </form>
      </Grid>
      {selects.map(s => (
        <Grid item xs={6} md={2} key={s.key}>
          <FilterSelect
            id={`approvals-filter-${s.key}`}
            label={s.label}
            value={values[s.key]}
            options={options[s.key]}
            onChange={v => onChange(s.key, v)}
          />
        </Grid>
      ))}
    </Grid>
  );
}
