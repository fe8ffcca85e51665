import {
  DriftAudience,
  DriftCurrent,
  DriftCurrentQuery,
  DriftHistory,
  DriftHistoryQuery,
  DriftOverview,
  DriftOverviewRow,
  DriftRunSummary,
  DriftVerdict,
  verdictRank,
  worstVerdict,
} from '@internal/plugin-drift-common';
import { TenantScope } from '@internal/plugin-fabric-node';
import { RunFilter, RunStore, StoredRun } from '../database/RunStore';
import { RunbookDirectory } from './catalog';

const DAY = 24 * 60 * 60 * 1000;

export function summaryOf(run: StoredRun): DriftRunSummary {
  const { scopeKey: _scopeKey, ...summary } = run;
  return summary;
}

const audienceOf = (scope: TenantScope): DriftAudience =>
  scope.all ? 'platform' : 'tenant';

const tenantFilter = (scope: TenantScope): Pick<RunFilter, 'tenantIn'> =>
  scope.all ? {} : { tenantIn: scope.tenants };

/** The read side of drift: current state, history and the overview, each within a read scope. */
export class DriftQueries {
  constructor(
    private readonly runs: RunStore,
    private readonly runbooks: RunbookDirectory,
    private readonly clock: { now(): Date },
  ) {}

  async current(
    query: DriftCurrentQuery,
    scope: TenantScope,
  ): Promise<DriftCurrent> {
    const runs = await this.runs.latest({ ...query, ...tenantFilter(scope) });
    const byId = new Map(runs.map(r => [r.id, r]));
    const findings = await this.runs.findings(runs.map(r => r.id));
    const providerVerdicts = new Map<string, DriftVerdict>();
    for (const run of runs) {
      for (const provider of run.providers) {
        const verdict = worstVerdict(
          findings
            .filter(f => f.runId === run.id && f.provider === provider)
            .map(f => f.verdict),
        );
        providerVerdicts.set(
          provider,
          worstVerdict([providerVerdicts.get(provider) ?? 'PASS', verdict]),
        );
      }
    }
    const enriched = await Promise.all(
      findings.map(async f => {
        const run = byId.get(f.runId)!;
        return {
          ...f,
          environment: run.environment,
          source: run.source,
          entity: run.entity,
          tenant: run.tenant,
          observedAt: run.observedAt,
          runbook: await this.runbooks.forFinding(f.resourceType, f.provider),
        };
      }),
    );
    enriched.sort(
      (a, b) =>
        verdictRank(b.verdict) - verdictRank(a.verdict) ||
        a.provider.localeCompare(b.provider) ||
        a.resource.localeCompare(b.resource),
    );
    return {
      audience: audienceOf(scope),
      verdict: worstVerdict(runs.map(r => r.verdict)),
      runs: runs.map(summaryOf),
      findings: enriched,
      providers: [...providerVerdicts.entries()]
        .map(([provider, verdict]) => ({ provider, verdict }))
        .sort((a, b) => a.provider.localeCompare(b.provider)),
      runbook: await this.runbooks.general(),
    };
  }

  async history(
    query: DriftHistoryQuery,
    scope: TenantScope,
  ): Promise<DriftHistory> {
    const since =
      query.since ??
      new Date(this.clock.now().getTime() - 30 * DAY).toISOString();
    const items = await this.runs.history(
      {
        tenant: query.tenant,
        entity: query.entity,
        environment: query.environment,
        source: query.source,
        since: new Date(since).toISOString(),
        ...tenantFilter(scope),
      },
      query.limit,
    );
    return { audience: audienceOf(scope), items: items.map(summaryOf) };
  }

  /** Tenants (and platform entities) x providers, FAIL rows first, newest FAIL first. */
  async overview(scope: TenantScope): Promise<DriftOverview> {
    const runs = await this.runs.latest(tenantFilter(scope));
    const findings = await this.runs.findings(runs.map(r => r.id));
    const rows = new Map<string, DriftOverviewRow>();
    for (const run of runs) {
      const subject = run.tenant ?? run.entity;
      const row =
        rows.get(subject) ??
        ({
          subject,
          kind: run.tenant ? 'tenant' : 'platform',
          verdict: 'PASS',
          lastObservedAt: run.observedAt,
          cells: {},
        } as DriftOverviewRow);
      rows.set(subject, row);
      row.verdict = worstVerdict([row.verdict, run.verdict]);
      if (run.observedAt > row.lastObservedAt) {
        row.lastObservedAt = run.observedAt;
      }
      if (
        run.verdict === 'FAIL' &&
        (!row.lastFailAt || run.observedAt > row.lastFailAt)
      ) {
        row.lastFailAt = run.observedAt;
      }
      for (const provider of run.providers) {
        const own = findings.filter(
          f => f.runId === run.id && f.provider === provider,
        );
        const cell = row.cells[provider] ?? {
          verdict: 'PASS' as DriftVerdict,
          counts: { pass: 0, warn: 0, fail: 0 },
          observedAt: run.observedAt,
        };
        cell.verdict = worstVerdict([cell.verdict, ...own.map(f => f.verdict)]);
        cell.counts.pass += own.filter(f => f.verdict === 'PASS').length;
        cell.counts.warn += own.filter(f => f.verdict === 'WARN').length;
        cell.counts.fail += own.filter(f => f.verdict === 'FAIL').length;
        if (run.observedAt > cell.observedAt) cell.observedAt = run.observedAt;
        row.cells[provider] = cell;
      }
    }
    const sorted = [...rows.values()].sort(
      (a, b) =>
        verdictRank(b.verdict) - verdictRank(a.verdict) ||
        (b.lastFailAt ?? '').localeCompare(a.lastFailAt ?? '') ||
        b.lastObservedAt.localeCompare(a.lastObservedAt) ||
        a.subject.localeCompare(b.subject),
    );
    return {
      audience: audienceOf(scope),
      providers: [...new Set(sorted.flatMap(r => Object.keys(r.cells)))].sort(),
      rows: sorted,
    };
  }
}
