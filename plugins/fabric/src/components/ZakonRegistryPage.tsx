import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  Content,
  Header,
  Page,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { catalogApiRef, EntityRefLink } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { errorMessage } from '@internal/plugin-fabric-react';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Typography from '@mui/material/Typography';
import {
  UNREGISTERED_ZAKON_RULES,
  listBlockedZakonRules,
  type ZakonRuleEntity,
} from '@internal/plugin-fabric-common';
import { ZakonStatus } from './ZakonRuleCard';
import { ChipList, Mono } from './FactsTable';

type Row = {
  name: string;
  title?: string;
  ruleId?: string;
  ref: string;
  status: string;
  trackingTask?: string;
  approvalToken?: string;
  approvalDate?: string;
  approvalMethod?: string;
  enforcement?: string[];
  blocked: boolean;
  problems: string[];
};

/**
 * Rules refused by the approval gate. Never-ingested rules come from the catalog's
 * unprocessed-entities view (operators only); stored rules whose newer source was refused carry
 * processing errors on the entity itself.
 */
function useBlockedRules(rules: ZakonRuleEntity[] | undefined) {
  const discovery = useApi(discoveryApiRef);
  const { fetch } = useApi(fetchApiRef);
  return useAsync(async () => {
    const base = await discovery.getBaseUrl('catalog');
    const res = await fetch(`${base}/entities/unprocessed/pending`);
    if (res.status === 403 || res.status === 401) {
      return {
        allowed: false,
        rules: listBlockedZakonRules({ rules: rules ?? [] }),
      };
    }
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return {
      allowed: true,
      rules: listBlockedZakonRules({
        unprocessed: await res.json(),
        rules: rules ?? [],
      }),
    };
  }, [rules]);
}

export function ZakonRegistryPage() {
  const catalogApi = useApi(catalogApiRef);
  const [statusFilter, setStatusFilter] = useState<string>('all');
  const rules = useAsync(
    async () =>
      (
        await catalogApi.getEntities({
          filter: { kind: 'ZakonRule' },
          order: { field: 'metadata.name', order: 'asc' },
        })
      ).items as ZakonRuleEntity[],
    [catalogApi],
  );
  const blocked = useBlockedRules(rules.value);

  const rows: Row[] = useMemo(() => {
    const blockedRefs = new Set((blocked.value?.rules ?? []).map(b => b.ref));
    const ingested: Row[] = (rules.value ?? [])
      .filter(r => !blockedRefs.has(stringifyEntityRef(r)))
      .map(r => ({
        name: r.metadata.name,
        title: r.metadata.title,
        ruleId: r.spec.id,
        ref: stringifyEntityRef(r),
        status: r.spec.status,
        trackingTask: r.spec.trackingTask,
        approvalToken: r.spec.approvalToken,
        approvalDate: r.spec.approvalDate,
        approvalMethod: r.spec.approvalMethod,
        enforcement: r.spec.enforcement,
        blocked: false,
        problems: [],
      }));
    const stored = new Map(
      (rules.value ?? []).map(r => [stringifyEntityRef(r), r]),
    );
    const failed: Row[] = (blocked.value?.rules ?? []).map(b => {
      const spec = stored.get(b.ref)?.spec;
      return {
        name: b.name,
        title: b.title,
        ruleId: spec?.id,
        ref: b.ref,
        status:
          b.state === 'not-ingested' ? 'not ingested' : String(spec?.status),
        trackingTask: spec?.trackingTask,
        approvalToken: spec?.approvalToken,
        approvalDate: spec?.approvalDate,
        approvalMethod: spec?.approvalMethod,
        enforcement: spec?.enforcement,
        blocked: true,
        problems: b.messages,
      };
    });
    return [...failed, ...ingested].filter(
      r =>
        statusFilter === 'all' ||
        (statusFilter === 'blocked' ? r.blocked : r.status === statusFilter),
    );
  }, [rules.value, blocked.value, statusFilter]);

  const columns: TableColumn<Row>[] = [
    {
      title: 'Rule',
      field: 'name',
      render: r => (
        <div>
          {r.blocked ? (
            <Typography variant="body2">{r.title ?? r.name}</Typography>
          ) : (
            <EntityRefLink entityRef={r.ref} title={r.title} />
          )}
          <Typography variant="caption" color="text.secondary">
            <Mono>{r.ruleId ?? r.name}</Mono>
          </Typography>
        </div>
      ),
    },
    {
      title: 'Status',
      field: 'status',
      render: r =>
        r.blocked ? (
          <Typography color="error" variant="body2">
            BLOCKED ({r.status})
          </Typography>
        ) : (
          <ZakonStatus status={r.status} />
        ),
    },
    { title: 'Tracking task', field: 'trackingTask' },
    {
      title: 'Approval',
      field: 'approvalToken',
      render: r => (
        <span>
          <Mono>{r.approvalToken ?? '—'}</Mono>
          {r.approvalDate ? ` on ${r.approvalDate}` : ''}
          {r.approvalMethod ? ` (${r.approvalMethod})` : ''}
        </span>
      ),
    },
    {
      title: 'Enforcement',
      field: 'enforcement',
      render: r => <ChipList items={r.enforcement} />,
    },
    {
      title: 'Why blocked',
      field: 'problems',
      render: r =>
        r.problems.length ? (
          <ul style={{ margin: 0, paddingLeft: 16 }}>
            {r.problems.map(p => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : null,
    },
  ];

  return (
    <Page themeId="tool">
      <Header
        title="ZAKON registry"
        subtitle="Governance rules, their approvals, and rules blocked by the approval gate"
      />
      <Content>
        {rules.error && (
          <WarningPanel
            title="Could not load rules"
            message={errorMessage(rules.error)}
          />
        )}
        {blocked.value && !blocked.value.allowed && (
          <Typography variant="body2" color="text.secondary" paragraph>
            Rules blocked by the approval gate are visible to operators only.
          </Typography>
        )}
        {blocked.error && (
          <WarningPanel
            title="Could not load blocked rules"
            message={errorMessage(blocked.error)}
          />
        )}
        <FormControl
          variant="standard"
          style={{ minWidth: 240, marginBottom: 16 }}
        >
          <InputLabel id="zakon-status-filter">Status</InputLabel>
          <Select
            id="zakon-status-filter-select"
            labelId="zakon-status-filter"
            value={statusFilter}
            onChange={e => setStatusFilter(String(e.target.value))}
          >
            <MenuItem value="all">All</MenuItem>
            <MenuItem value="active">active</MenuItem>
            <MenuItem value="approved-live">approved-live</MenuItem>
            <MenuItem value="approved-pending-author">
              approved-pending-author
            </MenuItem>
            <MenuItem value="legacy-pre-registry">legacy-pre-registry</MenuItem>
            <MenuItem value="blocked">blocked by the gate</MenuItem>
          </Select>
        </FormControl>
        <Table<Row>
          title={`Rules (${rows.length})`}
          isLoading={rules.loading || blocked.loading}
          columns={columns}
          data={rows}
          options={{ paging: false, search: true, padding: 'dense' }}
        />
        <div style={{ marginTop: 24 }}>
          <Table<(typeof UNREGISTERED_ZAKON_RULES)[number]>
            title={`Cited but unregistered (${UNREGISTERED_ZAKON_RULES.length})`}
            columns={[
              { title: 'Rule', field: 'label' },
              { title: 'What the sources say it asks', field: 'summary' },
              {
                title: 'Status',
                render: () => <Mono>unregistered</Mono>,
              },
              { title: 'Cited at', field: 'citedAt' },
            ]}
            data={UNREGISTERED_ZAKON_RULES.map(r => ({ ...r }))}
            options={{ paging: false, search: false, padding: 'dense' }}
          />
          <Typography variant="body2" color="text.secondary">
            Not in the registry and not enforced by the gate; register one
            through the new ZAKON rule proposal (a governance member's signed
            approval gives it [CEO_APPROVED]).
          </Typography>
        </div>
      </Content>
    </Page>
  );
}
