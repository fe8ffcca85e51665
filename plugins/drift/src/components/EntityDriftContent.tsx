import { Fragment } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import Grid from '@mui/material/Grid';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import {
  InfoCard,
  Link,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  DRIFT_TAXONOMY,
  DriftCurrent,
  DriftCurrentFinding,
  DriftRunbookLink,
  DriftRunSummary,
  tenantDriftSummary,
} from '@internal/plugin-drift-common';
import { driftApiRef, DriftFilter } from '../api/DriftApi';
import { DriftHistoryChart } from './DriftHistoryChart';
import {
  RunbookLink,
  ValueView,
  VerdictChip,
  errorMessage,
  formatTime,
  proposalPath,
  runbookPath,
  showInvisibleCharacters,
  UserText,
} from './common';

/** A tenant's tab shows all its drift; a service or plane shows the runs about it. */
export function driftFilterFor(entity: Entity): DriftFilter {
  const ref = stringifyEntityRef(entity);
  return entity.kind.toLocaleLowerCase('en-US') === 'tenant'
    ? { tenant: ref }
    : { entity: ref };
}

const NO_FIX =
  'Drift is a signal, never a fix: nothing in the portal applies a change. Follow the runbook and make a reviewed change.';

function TenantSummaryCard({
  name,
  current,
}: {
  name: string;
  current: DriftCurrent;
}) {
  const summary = tenantDriftSummary(name, current);
  return (
    <InfoCard title="Your drift summary">
      <Typography
        variant="subtitle1"
        component="div"
        gutterBottom
        data-testid="drift-headline"
      >
        <VerdictChip verdict={summary.verdict} />{' '}
        <UserText text={summary.headline} />
      </Typography>
      {summary.lines.length > 0 && (
        <ul>
          {summary.lines.map(line => (
            <li key={line}>
              <Typography variant="body2">
                <UserText text={line} />
              </Typography>
            </li>
          ))}
        </ul>
      )}
      <Typography variant="body2" color="text.secondary">
        {summary.advice}
      </Typography>
    </InfoCard>
  );
}

function PlatformSummaryCard({ current }: { current: DriftCurrent }) {
  return (
    <InfoCard
      title="Current verdict"
      subheader="The newest run of each environment and source"
      deepLink={
        current.runbook
          ? {
              title: `Runbook: ${current.runbook.title ?? 'drift review'}`,
              link: runbookPath(current.runbook.ref),
            }
          : undefined
      }
    >
      <Typography
        variant="subtitle1"
        component="div"
        gutterBottom
        data-testid="drift-headline"
      >
        <VerdictChip verdict={current.runs.length ? current.verdict : 'NONE'} />{' '}
        {current.runs.length === 0
          ? 'No drift runs reported yet.'
          : `${
              current.findings.filter(f => f.verdict === 'FAIL').length
            } FAIL, ${
              current.findings.filter(f => f.verdict === 'WARN').length
            } WARN across ${current.runs.length} run${
              current.runs.length === 1 ? '' : 's'
            }.`}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {NO_FIX}
      </Typography>
    </InfoCard>
  );
}

function ProvidersCard({ current }: { current: DriftCurrent }) {
  return (
    <InfoCard title="By provider">
      {current.providers.length === 0 ? (
        <Typography color="text.secondary">
          No providers checked yet.
        </Typography>
      ) : (
        <div
          style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}
          aria-label="Verdict per provider"
        >
          {current.providers.map(p => (
            <VerdictChip
              key={p.provider}
              verdict={p.verdict}
              label={`${p.provider}: ${p.verdict}`}
            />
          ))}
        </div>
      )}
    </InfoCard>
  );
}

/**
 * One finding. Its runbook is the one for its resource type when the backend found one, else the
 * general drift runbook (when configured and in the catalog); "—" only when neither exists.
 */
function FindingRow({
  finding,
  fallbackRunbook,
}: {
  finding: DriftCurrentFinding;
  fallbackRunbook?: DriftRunbookLink;
}) {
  const runbook = finding.runbook ?? fallbackRunbook;
  const propose = proposalPath(finding);
  return (
    <TableRow data-verdict={finding.verdict}>
      <TableCell>
        <VerdictChip verdict={finding.verdict} />
      </TableCell>
      <TableCell>{finding.provider}</TableCell>
      <TableCell>
        <code style={{ overflowWrap: 'break-word' }}>
          <UserText text={finding.resource} />
        </code>
        {finding.resourceType && (
          <Typography variant="caption" display="block" color="text.secondary">
            {finding.resourceType}
          </Typography>
        )}
      </TableCell>
      <TableCell title={DRIFT_TAXONOMY[finding.class].description}>
        {DRIFT_TAXONOMY[finding.class].title}
        {finding.message && (
          <Typography variant="caption" display="block">
            <UserText text={finding.message} />
          </Typography>
        )}
      </TableCell>
      <TableCell>
        {finding.environment}
        <Typography variant="caption" display="block" color="text.secondary">
          <UserText text={finding.source} /> · {formatTime(finding.observedAt)}
        </Typography>
      </TableCell>
      <TableCell style={{ minWidth: 180 }}>
        <ValueView
          value={finding.declared}
          label={`Declared ${showInvisibleCharacters(finding.resource)}`}
        />
      </TableCell>
      <TableCell style={{ minWidth: 180 }}>
        <ValueView
          value={finding.observed}
          label={`Observed ${showInvisibleCharacters(finding.resource)}`}
        />
      </TableCell>
      <TableCell>
        {runbook ? <RunbookLink runbook={runbook} /> : '—'}
        {propose && (
          <Typography variant="caption" display="block">
            <Link to={propose}>Submit a proposal</Link>
          </Typography>
        )}
      </TableCell>
    </TableRow>
  );
}

function FindingsCard({ current }: { current: DriftCurrent }) {
  return (
    <InfoCard
      title="Declared vs observed"
      subheader="Every resource of the current runs, worst first"
    >
      {current.findings.length === 0 ? (
        <Typography color="text.secondary">
          {current.runs.length === 0
            ? 'Nothing reported yet.'
            : 'Nothing differs: every checked resource matches what is declared.'}
        </Typography>
      ) : (
        <Table size="small" aria-label="Drift findings">
          <TableHead>
            <TableRow>
              {[
                'Verdict',
                'Provider',
                'Resource',
                'Class',
                'Environment',
                'Declared',
                'Observed',
                'Runbook',
              ].map(title => (
                <TableCell key={title} style={{ whiteSpace: 'nowrap' }}>
                  {title}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {current.findings.map(f => (
              <FindingRow
                key={`${f.runId}/${f.provider}/${f.resource}`}
                finding={f}
                fallbackRunbook={current.runbook}
              />
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}

function RunsTable({ runs }: { runs: DriftRunSummary[] }) {
  const newestFirst = [...runs].reverse().slice(0, 20);
  return (
    <Table size="small" aria-label="Drift runs">
      <TableHead>
        <TableRow>
          <TableCell>Observed</TableCell>
          <TableCell>Environment</TableCell>
          <TableCell>Source</TableCell>
          <TableCell>Verdict</TableCell>
          <TableCell>FAIL / WARN / PASS</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {newestFirst.map(run => (
          <TableRow key={run.id}>
            <TableCell>{formatTime(run.observedAt)}</TableCell>
            <TableCell>{run.environment}</TableCell>
            <TableCell>
              {run.runUrl ? (
                <Link to={run.runUrl}>
                  <UserText text={run.source} />
                </Link>
              ) : (
                <UserText text={run.source} />
              )}
            </TableCell>
            <TableCell>
              <VerdictChip verdict={run.verdict} />
            </TableCell>
            <TableCell>
              {run.counts.fail} / {run.counts.warn} / {run.counts.pass}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The Drift tab of tenants, services and planes. */
export function EntityDriftContent() {
  const { entity } = useEntity();
  const api = useApi(driftApiRef);
  // `?environment=` narrows the tab to one environment (a proposal links here that way).
  const [params] = useSearchParams();
  const environment = params.get('environment') || undefined;
  const filter = { ...driftFilterFor(entity), environment };
  const key = JSON.stringify(filter);
  const data = useAsync(async () => {
    const [current, history] = await Promise.all([
      api.getCurrent(filter),
      api.getHistory(filter),
    ]);
    return { current, history };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, key]);

  if (data.loading) return <Progress />;
  if (data.error) {
    return (
      <WarningPanel
        severity="error"
        title="Could not load drift"
        message={errorMessage(data.error)}
      />
    );
  }
  const { current, history } = data.value!;
  const forTenant = current.audience === 'tenant';
  const name = entity.metadata.title ?? entity.metadata.name;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={8}>
        {forTenant ? (
          <TenantSummaryCard name={name} current={current} />
        ) : (
          <PlatformSummaryCard current={current} />
        )}
      </Grid>
      <Grid item xs={12} md={4}>
        <ProvidersCard current={current} />
      </Grid>
      <Grid item xs={12}>
        <FindingsCard current={current} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="History"
          subheader="Verdict of every run in the last 30 days"
        >
          <DriftHistoryChart runs={history.items} />
          {history.items.length > 0 && (
            <Fragment>
              <Typography
                variant="subtitle2"
                component="h2"
                style={{ marginTop: 16 }}
              >
                Recent runs
              </Typography>
              <RunsTable runs={history.items} />
            </Fragment>
          )}
        </InfoCard>
      </Grid>
      {forTenant && current.runbook && (
        <Grid item xs={12}>
          <Typography variant="body2" color="text.secondary">
            How the platform team handles drift:{' '}
            <RunbookLink runbook={current.runbook} />
          </Typography>
        </Grid>
      )}
    </Grid>
  );
}
