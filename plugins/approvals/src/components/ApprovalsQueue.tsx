import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import {
  PROPOSAL_STATES,
  PROPOSAL_TYPES,
  type ProposalState,
  type ProposalType,
} from '@internal/plugin-approvals-common';
import { approvalsApiRef, ProposalListFilter } from '../api/ApprovalsApi';
import { ProposalsTable } from './ProposalsTable';
import { errorMessage } from './common';
import { Option, QUEUE_FILTERS, QueueFilters } from './QueueFilters';
import { pageOffset, pageSize, ProposalsPager } from './ProposalsPager';

type View = 'review' | 'requested' | 'all';
const VIEWS: { value: View; label: string; empty: string }[] = [
  {
    value: 'review',
    label: 'Waiting for me',
    empty: 'Nothing is waiting for you: nothing you may claim or approve now.',
  },
  {
    value: 'requested',
    label: 'My requests',
    empty: 'You have not requested any change.',
  },
  { value: 'all', label: 'All', empty: 'No proposals match these filters.' },
];

function oneOf<T extends string>(
  values: ReadonlyArray<T>,
  value: string | null,
): T | undefined {
  return (values as ReadonlyArray<string>).includes(value ?? '')
    ? (value as T)
    : undefined;
}

/** Tenants and environments to filter by, from the catalog (the backend takes entity refs). */
function useCatalogOptions() {
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

/**
 * The review queue, paged on the server: what waits for me (with its count), what I asked
 * for, or everything I may read; filtered and searched. Every choice lives in the URL.
 */
export function ApprovalsQueue() {
  const api = useApi(approvalsApiRef);
  const [params, setParams] = useSearchParams();
  const view =
    oneOf(['review', 'requested', 'all'], params.get('view')) ?? 'review';
  const state = oneOf<ProposalState>(PROPOSAL_STATES, params.get('state'));
  const type = oneOf<ProposalType>(PROPOSAL_TYPES, params.get('type'));
  const values = {
    tenant: params.get('tenant') ?? '',
    environment: params.get('environment') ?? '',
    state: state ?? '',
    type: type ?? '',
    q: params.get('q') ?? '',
  };
  const limit = pageSize(params.get('limit'));
  const offset = pageOffset(params.get('offset'));

  /** Changes some parameters; any change but the page's own goes back to the first page. */
  const update = (changes: Record<string, string | number>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === '' || value === 0) next.delete(key);
      else next.set(key, String(value));
    }
    if (!('offset' in changes)) next.delete('offset');
    setParams(next, { replace: true });
  };

  const catalog = useCatalogOptions();
  const page = useAsync(async () => {
    const filter: ProposalListFilter = {
      view: view === 'all' ? undefined : view,
      tenant: values.tenant || undefined,
      environment: values.environment || undefined,
      state,
      type,
      q: values.q || undefined,
      limit,
      offset,
    };
    return api.listProposals(filter);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, params.toString()]);
  const counts = page.value?.counts;

  return (
    <Paper>
      <Tabs
        value={view}
        onChange={(_e, value) => update({ view: value })}
        aria-label="Proposal views"
      >
        {VIEWS.map(v => (
          <Tab
            key={v.value}
            value={v.value}
            label={
              v.value === 'review' && counts
                ? `${v.label} (${counts.waitingForMe})`
                : v.label
            }
            data-testid={`approvals-view-${v.value}`}
          />
        ))}
      </Tabs>
      <Box sx={{ p: 2 }}>
        <QueueFilters
          values={values}
          options={{
            tenant: catalog.value?.tenants ?? [],
            environment: catalog.value?.environments ?? [],
            state: PROPOSAL_STATES.map(s => ({
              value: s,
              label: counts ? `${s} (${counts.byState[s] ?? 0})` : s,
            })),
            type: PROPOSAL_TYPES.map(t => ({ value: t, label: t })),
          }}
          onChange={(key, value) =>
            QUEUE_FILTERS.includes(key) && update({ [key]: value })
          }
        />
        {catalog.error && (
          <WarningPanel
            title="Could not load tenants and environments from the catalog"
            message={errorMessage(catalog.error)}
          />
        )}
        {page.error && (
          <WarningPanel
            severity="error"
            title="Could not load proposals"
            message={errorMessage(page.error)}
          />
        )}
        {page.loading && <Progress />}
        {!page.loading && page.value && (
          <>
            <ProposalsTable
              proposals={page.value.items}
              empty={VIEWS.find(v => v.value === view)?.empty}
            />
            <ProposalsPager
              total={page.value.total}
              limit={limit}
              offset={offset}
              onChange={next => update(next)}
            />
          </>
        )}
      </Box>
    </Paper>
  );
}
