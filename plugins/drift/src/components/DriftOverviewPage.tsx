import useAsync from 'react-use/esm/useAsync';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import {
  Content,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import type {
  DriftOverview,
  DriftOverviewRow,
} from '@internal/plugin-drift-common';
import { readableColour } from '@internal/plugin-fabric-react';
import { driftApiRef } from '../api/DriftApi';
import {
  VERDICT_COLOURS,
  VerdictChip,
  errorMessage,
  formatTime,
  shortRef,
} from './common';

/** The subject's Drift tab on its entity page. */
function driftTabPath(ref: string): string {
  const { kind, namespace, name } = parseEntityRef(ref);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase(
    'en-US',
  )}/${name}/drift`;
}

function HeatCell({
  row,
  provider,
}: {
  row: DriftOverviewRow;
  provider: string;
}) {
  const cell = row.cells[provider];
  if (!cell) {
    return (
      <TableCell
        align="center"
        aria-label={`${shortRef(row.subject)} ${provider}: not checked`}
        sx={{ color: 'text.secondary' }}
      >
        ·
      </TableCell>
    );
  }
  const colour = readableColour(VERDICT_COLOURS[cell.verdict]);
  const detail =
    cell.verdict === 'PASS'
      ? 'nothing differs'
      : `${cell.counts.fail} FAIL, ${cell.counts.warn} WARN`;
  return (
    <TableCell
      align="center"
      data-verdict={cell.verdict}
      aria-label={`${shortRef(row.subject)} ${provider}: ${
        cell.verdict
      }, ${detail}, ${formatTime(cell.observedAt)}`}
      title={`${cell.verdict}: ${detail} (${formatTime(cell.observedAt)})`}
      style={{
        backgroundColor: colour.bg,
        color: colour.fg,
        fontWeight: 600,
        border: '2px solid #ffffff',
      }}
    >
      {cell.verdict}
    </TableCell>
  );
}

function HeatMap({ overview }: { overview: DriftOverview }) {
  return (
    <Table size="small" aria-label="Drift heat map">
      <TableHead>
        <TableRow>
          <TableCell>
            {overview.audience === 'tenant'
              ? 'Your tenant'
              : 'Tenant or entity'}
          </TableCell>
          <TableCell>Verdict</TableCell>
          <TableCell>Newest FAIL</TableCell>
          {overview.providers.map(p => (
            <TableCell key={p} align="center">
              {p}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {overview.rows.map(row => (
          <TableRow key={row.subject} data-subject={row.subject}>
            <TableCell component="th" scope="row">
              <Link to={driftTabPath(row.subject)}>
                {shortRef(row.subject)}
              </Link>
              {row.kind === 'platform' && (
                <Typography
                  variant="caption"
                  display="block"
                  color="text.secondary"
                >
                  {parseEntityRef(row.subject).kind}
                </Typography>
              )}
            </TableCell>
            <TableCell>
              <VerdictChip verdict={row.verdict} />
            </TableCell>
            <TableCell>
              {row.lastFailAt ? formatTime(row.lastFailAt) : '—'}
            </TableCell>
            {overview.providers.map(p => (
              <HeatCell key={p} row={row} provider={p} />
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Tenants x providers: the current verdict of each, FAIL rows first, newest FAIL first. */
export function DriftOverviewPage() {
  const api = useApi(driftApiRef);
  const overview = useAsync(() => api.getOverview(), [api]);
  const forTenant = overview.value?.audience === 'tenant';
  return (
    <Page themeId="tool">
      <Header
        title="Drift"
        subtitle={
          forTenant
            ? 'Where what runs differs from what your contracts declare'
            : 'Declared vs observed state per tenant and provider'
        }
      />
      <Content>
        {overview.loading && <Progress />}
        {overview.error && (
          <WarningPanel
            severity="error"
            title="Could not load drift"
            message={errorMessage(overview.error)}
          />
        )}
        {overview.value && (
          <InfoCard
            title={forTenant ? 'Your tenants' : 'Tenants x providers'}
            subheader={
              forTenant
                ? 'Only your own tenants are shown. The platform team is told about every FAIL; nothing is changed automatically.'
                : 'Current verdicts; a row opens the Drift tab. Drift is a signal: nothing here applies a fix.'
            }
          >
            {overview.value.rows.length === 0 ? (
              <Typography color="text.secondary">
                {forTenant
                  ? 'No drift has been reported for your tenants yet.'
                  : 'No drift runs reported yet. CI posts them to /api/drift/runs.'}
              </Typography>
            ) : (
              <HeatMap overview={overview.value} />
            )}
          </InfoCard>
        )}
      </Content>
    </Page>
  );
}
