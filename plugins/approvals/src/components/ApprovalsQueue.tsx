import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  FormControl,
  Grid,
  InputLabel,
  MenuItem,
  Paper,
  Select,
  Tab,
  Tabs,
} from '@material-ui/core';
import {
  PROPOSAL_STATES,
  type ProposalState,
} from '@internal/plugin-approvals-common';
import { approvalsApiRef, ProposalListFilter } from '../api/ApprovalsApi';
import { ProposalsTable } from './ProposalsTable';
import { errorMessage, shortRef } from './common';

type View = 'review' | 'requested' | 'all';
const VIEWS: { value: View; label: string; empty: string }[] = [
  {
    value: 'review',
    label: 'To review',
    empty: 'Nothing is waiting for your review.',
  },
  {
    value: 'requested',
    label: 'My requests',
    empty: 'You have not requested any change.',
  },
  { value: 'all', label: 'All', empty: 'No proposals match these filters.' },
];

type Option = { value: string; label: string };

/** Tenants and environments to filter by, from the catalog (the backend takes entity refs). */
function useFilterOptions() {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async () => {
    const toOptions = (items: any[]): Option[] =>
      items
        .map(e => ({
          value: stringifyEntityRef(e),
          label: e.metadata.title ?? e.metadata.name,
        }))
        .sort((a, b) => a.label.localeCompare(b.label));
    const fields = [
      'kind',
      'metadata.name',
      'metadata.namespace',
      'metadata.title',
    ];
    const [tenants, environments] = await Promise.all([
      catalogApi.getEntities({ filter: { kind: 'Tenant' }, fields }),
      catalogApi.getEntities({
        filter: { kind: 'Resource', 'spec.type': 'environment' },
        fields,
      }),
    ]);
    return {
      tenants: toOptions(tenants.items),
      environments: toOptions(environments.items),
    };
  }, [catalogApi]);
}

function FilterSelect(props: {
  id: string;
  label: string;
  value: string;
  options: Option[];
  onChange: (value: string) => void;
}) {
  const { id, label, value, onChange } = props;
  // A value from the URL (a link from a tenant page) is shown even before or without its option.
  const options =
    value && !props.options.some(o => o.value === value)
      ? [...props.options, { value, label: shortRef(value) }]
      : props.options;
  return (
    <FormControl fullWidth>
      <InputLabel id={`${id}-label`}>{label}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        value={value}
        onChange={e => onChange(String(e.target.value))}
      >
        <MenuItem value="">Any</MenuItem>
        {options.map(o => (
          <MenuItem key={o.value} value={o.value}>
            {o.label}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

/** The review queue: what waits for me, what I asked for, or everything I may read. */
export function ApprovalsQueue() {
  const api = useApi(approvalsApiRef);
  const [params, setParams] = useSearchParams();
  const view = (VIEWS.find(v => v.value === params.get('view'))?.value ??
    'review') as View;
  const tenant = params.get('tenant') ?? '';
  const environment = params.get('environment') ?? '';
  const stateParam = params.get('state') ?? '';
  const state = (PROPOSAL_STATES as ReadonlyArray<string>).includes(stateParam)
    ? (stateParam as ProposalState)
    : undefined;

  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const options = useFilterOptions();
  const proposals = useAsync(async () => {
    const filter: ProposalListFilter = {
      view: view === 'all' ? undefined : view,
      tenant: tenant || undefined,
      environment: environment || undefined,
      state,
    };
    return (await api.listProposals(filter)).items;
  }, [api, view, tenant, environment, state]);

  return (
    <Paper>
      <Tabs
        value={view}
        onChange={(_e, value) => setParam('view', value)}
        indicatorColor="primary"
        aria-label="Proposal views"
      >
        {VIEWS.map(v => (
          <Tab key={v.value} value={v.value} label={v.label} />
        ))}
      </Tabs>
      <Grid container spacing={2} style={{ padding: 16 }}>
        <Grid item xs={12} sm={4}>
          <FilterSelect
            id="approvals-filter-tenant"
            label="Tenant"
            value={tenant}
            options={options.value?.tenants ?? []}
            onChange={v => setParam('tenant', v)}
          />
        </Grid>
        <Grid item xs={12} sm={4}>
          <FilterSelect
            id="approvals-filter-environment"
            label="Environment"
            value={environment}
            options={options.value?.environments ?? []}
            onChange={v => setParam('environment', v)}
          />
        </Grid>
        <Grid item xs={12} sm={4}>
          <FilterSelect
            id="approvals-filter-state"
            label="State"
            value={state ?? ''}
            options={PROPOSAL_STATES.map(s => ({ value: s, label: s }))}
            onChange={v => setParam('state', v)}
          />
        </Grid>
        <Grid item xs={12}>
          {options.error && (
            <WarningPanel
              title="Could not load tenants and environments from the catalog"
              message={errorMessage(options.error)}
            />
          )}
          {proposals.error && (
            <WarningPanel
              severity="error"
              title="Could not load proposals"
              message={errorMessage(proposals.error)}
            />
          )}
          {proposals.loading && <Progress />}
          {!proposals.loading && !proposals.error && (
            <ProposalsTable
              proposals={proposals.value ?? []}
              empty={VIEWS.find(v => v.value === view)?.empty}
            />
          )}
        </Grid>
      </Grid>
    </Paper>
  );
}
