import Grid from '@mui/material/Grid';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { VERDICTS } from '@internal/plugin-evidence-common';

export const FILTERS = ['area', 'entity', 'verdict', 'from', 'to'] as const;
export type FilterKey = (typeof FILTERS)[number];
export type FilterValues = Record<FilterKey, string>;

/**
 * The Evidence page's filters. Every field has an `id`, so its label is tied to it (a screen
 * reader names each field; WCAG 1.3.1 / 4.1.2), and the date fields say what they bound.
 */
export function EvidenceFilters(props: {
  filter: FilterValues;
  areas: string[];
  onChange: (key: FilterKey, value: string) => void;
}) {
  const { filter, areas, onChange } = props;
  return (
    <Grid container spacing={2} alignItems="flex-end">
      <Grid item xs={12} sm={6} md={2}>
        <TextField
          id="evidence-filter-area"
          select
          fullWidth
          variant="standard"
          label="Area"
          value={filter.area}
          onChange={e => onChange('area', e.target.value)}
        >
          <MenuItem value="">All areas</MenuItem>
          {areas.map(a => (
            <MenuItem key={a} value={a}>
              {a}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={12} sm={6} md={3}>
        <TextField
          id="evidence-filter-entity"
          fullWidth
          variant="standard"
          label="Entity"
          placeholder="tenant:default/project-birds"
          defaultValue={filter.entity}
          onBlur={e => onChange('entity', e.target.value.trim())}
          onKeyDown={e => {
            if (e.key === 'Enter')
              onChange('entity', (e.target as HTMLInputElement).value.trim());
          }}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={2}>
        <TextField
          id="evidence-filter-verdict"
          select
          fullWidth
          variant="standard"
          label="Verdict"
          value={filter.verdict}
          onChange={e => onChange('verdict', e.target.value)}
        >
          <MenuItem value="">All verdicts</MenuItem>
          {VERDICTS.map(v => (
            <MenuItem key={v} value={v}>
              {v}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid item xs={6} md={2}>
        <TextField
          id="evidence-filter-from"
          fullWidth
          variant="standard"
          type="date"
          label="Collected from"
          InputLabelProps={{ shrink: true }}
          value={filter.from}
          onChange={e => onChange('from', e.target.value)}
        />
      </Grid>
      <Grid item xs={6} md={2}>
        <TextField
          id="evidence-filter-to"
          fullWidth
          variant="standard"
          type="date"
          label="Collected to"
          InputLabelProps={{ shrink: true }}
          value={filter.to}
          onChange={e => onChange('to', e.target.value)}
        />
      </Grid>
    </Grid>
  );
}
