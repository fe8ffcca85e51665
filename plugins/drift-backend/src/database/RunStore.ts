import { NotFoundError } from '@backstage/errors';
import {
  DriftClass,
  DriftFinding,
  DriftRunSummary,
  DriftVerdict,
} from '@internal/plugin-drift-common';
import { Knex } from 'knex';

const RUNS = 'drift_runs';
const FINDINGS = 'drift_findings';

interface RunRow {
  id: string;
  scope_key: string;
  source: string;
  environment: string;
  tenant_ref: string | null;
  entity_ref: string;
  format: string;
  tool_version: string | null;
  observed_at: string;
  received_at: string;
  verdict: string;
  pass_count: number | string;
  warn_count: number | string;
  fail_count: number | string;
  run_url: string | null;
  submitted_by: string;
  providers_json: string;
}

interface FindingRow {
  id?: number;
  run_id: string;
  seq: number;
  provider: string;
  resource: string;
  resource_type: string | null;
  class: string;
  verdict: string;
  declared_json: string | null;
  observed_json: string | null;
  message: string | null;
}

/** A run as stored, with the scope key the store computes history from. */
export interface StoredRun extends DriftRunSummary {
  scopeKey: string;
}

/** Which runs a read may return. `tenantIn` is the permission condition; empty matches nothing. */
export interface RunFilter {
  tenant?: string;
  tenantIn?: string[];
  entity?: string;
  environment?: string;
  source?: string;
  since?: string;
}

function fromRunRow(row: RunRow): StoredRun {
  return {
    id: row.id,
    scopeKey: row.scope_key,
    source: row.source,
    environment: row.environment,
    tenant: row.tenant_ref ?? undefined,
    entity: row.entity_ref,
    format: row.format as StoredRun['format'],
    toolVersion: row.tool_version ?? undefined,
    observedAt: row.observed_at,
    receivedAt: row.received_at,
    verdict: row.verdict as DriftVerdict,
    counts: {
      pass: Number(row.pass_count),
      warn: Number(row.warn_count),
      fail: Number(row.fail_count),
    },
    providers: JSON.parse(row.providers_json),
    runUrl: row.run_url ?? undefined,
    submittedBy: row.submitted_by,
  };
}

const parseJson = (text: string | null) =>
  text === null ? undefined : JSON.parse(text);

function fromFindingRow(row: FindingRow): DriftFinding {
  return {
    runId: row.run_id,
    provider: row.provider,
    resource: row.resource,
    resourceType: row.resource_type ?? undefined,
    class: row.class as DriftClass,
    verdict: row.verdict as DriftVerdict,
    declared: parseJson(row.declared_json),
    observed: parseJson(row.observed_json),
    message: row.message ?? undefined,
  };
}

/** Splits a list so IN clauses and multi-row inserts stay within every database's limits. */
function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

/** The `drift_runs` and `drift_findings` tables: runs never change after insert. */
export class RunStore {
  constructor(private readonly db: Knex) {}

  async insert(
    tx: Knex.Transaction,
    run: StoredRun,
    findings: DriftFinding[],
  ): Promise<void> {
    await tx<RunRow>(RUNS).insert({
      id: run.id,
      scope_key: run.scopeKey,
      source: run.source,
      environment: run.environment,
      tenant_ref: run.tenant ?? null,
      entity_ref: run.entity,
      format: run.format,
      tool_version: run.toolVersion ?? null,
      observed_at: run.observedAt,
      received_at: run.receivedAt,
      verdict: run.verdict,
      pass_count: run.counts.pass,
      warn_count: run.counts.warn,
      fail_count: run.counts.fail,
      run_url: run.runUrl ?? null,
      submitted_by: run.submittedBy,
      providers_json: JSON.stringify(run.providers),
    });
    const rows: FindingRow[] = findings.map((f, seq) => ({
      run_id: run.id,
      seq,
      provider: f.provider,
      resource: f.resource,
      resource_type: f.resourceType ?? null,
      class: f.class,
      verdict: f.verdict,
      declared_json:
        f.declared === undefined ? null : JSON.stringify(f.declared),
      observed_json:
        f.observed === undefined ? null : JSON.stringify(f.observed),
      message: f.message ?? null,
    }));
    for (const batch of chunks(rows, 200)) {
      await tx<FindingRow>(FINDINGS).insert(batch);
    }
  }

  async find(id: string): Promise<StoredRun | undefined> {
    const row = await this.db<RunRow>(RUNS).where({ id }).first();
    return row ? fromRunRow(row) : undefined;
  }

  async get(id: string): Promise<StoredRun> {
    const run = await this.find(id);
    if (!run) throw new NotFoundError(`No drift run with id ${id}`);
    return run;
  }

  async findings(runIds: string[]): Promise<DriftFinding[]> {
    const out: DriftFinding[] = [];
    for (const batch of chunks(runIds, 500)) {
      const rows = await this.db<FindingRow>(FINDINGS)
        .whereIn('run_id', batch)
        .orderBy([
          { column: 'run_id', order: 'asc' },
          { column: 'seq', order: 'asc' },
        ]);
      out.push(...rows.map(fromFindingRow));
    }
    return out;
  }

  /** Whether a run of the scope was observed after `observedAt` (then `id` is not its newest). */
  async hasNewer(
    tx: Knex.Transaction,
    scopeKey: string,
    observedAt: string,
    id: string,
  ): Promise<boolean> {
    const row = await tx<RunRow>(RUNS)
      .where('scope_key', scopeKey)
      .whereNot('id', id)
      .where(q =>
        q
          .where('observed_at', '>', observedAt)
          .orWhere(q2 =>
            q2.where('observed_at', observedAt).where('id', '>', id),
          ),
      )
      .first('id');
    return row !== undefined;
  }

  private applyFilter(q: Knex.QueryBuilder, filter: RunFilter, alias = '') {
    const col = (c: string) => (alias ? `${alias}.${c}` : c);
    if (filter.tenant) q.where(col('tenant_ref'), filter.tenant);
    if (filter.tenantIn) q.whereIn(col('tenant_ref'), filter.tenantIn);
    if (filter.entity) q.where(col('entity_ref'), filter.entity);
    if (filter.environment) q.where(col('environment'), filter.environment);
    if (filter.source) q.where(col('source'), filter.source);
    if (filter.since) q.where(col('observed_at'), '>=', filter.since);
    return q;
  }

  /** A run of the same scope as `r` that is newer (later observed, or same time and larger id). */
  private newerInScope() {
    return this.db(`${RUNS} as n`)
      .select('n.id')
      .whereRaw('n.scope_key = r.scope_key')
      .where(w =>
        w
          .whereRaw('n.observed_at > r.observed_at')
          .orWhere(w2 =>
            w2
              .whereRaw('n.observed_at = r.observed_at')
              .whereRaw('n.id > r.id'),
          ),
      );
  }

  /** The newest run of every scope that matches the filter: the current state. */
  async latest(filter: RunFilter): Promise<StoredRun[]> {
    const q = this.db<RunRow>(`${RUNS} as r`)
      .select('r.*')
      .whereNotExists(this.newerInScope())
      .orderBy([
        { column: 'r.observed_at', order: 'desc' },
        { column: 'r.id', order: 'asc' },
      ]);
    this.applyFilter(q, filter, 'r');
    const rows: RunRow[] = await q;
    return rows.map(fromRunRow);
  }

  /** Runs matching the filter, oldest first; the newest `limit` when there are more. */
  async history(filter: RunFilter, limit: number): Promise<StoredRun[]> {
    const q = this.db<RunRow>(RUNS)
      .orderBy([
        { column: 'observed_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    this.applyFilter(q, filter);
    const rows: RunRow[] = await q;
    return rows.map(fromRunRow).reverse();
  }

  /** A subquery: the ids of the runs of `tenants` (canonical refs); for what their runs keep. */
  idsOfTenants(tenants: readonly string[]): Knex.QueryBuilder {
    return this.db<RunRow>(RUNS)
      .select('id')
      .whereIn('tenant_ref', [...tenants]);
  }

  /**
   * Deletes runs observed before `cutoff`, except the newest run of each
   * scope (the current state never expires) and every run of a tenant in
   * `keepTenants` (under a legal hold). Returns how many were deleted.
   */
  async deleteOlderThan(
    cutoff: string,
    keepTenants: readonly string[] = [],
  ): Promise<number> {
    const q = this.db<RunRow>(`${RUNS} as r`)
      .select('r.id')
      .where('r.observed_at', '<', cutoff)
      .whereExists(this.newerInScope());
    if (keepTenants.length > 0) {
      // NOT IN alone would also keep runs without a tenant (NULL is never "not in").
      q.where(w =>
        w
          .whereNull('r.tenant_ref')
          .orWhereNotIn('r.tenant_ref', [...keepTenants]),
      );
    }
    const ids: string[] = (await q).map((r: { id: string }) => r.id);
    for (const batch of chunks(ids, 500)) {
      await this.db.transaction(async tx => {
        // Findings first: SQLite does not enforce the cascade unless told to.
        await tx(FINDINGS).whereIn('run_id', batch).delete();
        await tx(RUNS).whereIn('id', batch).delete();
      });
    }
    return ids.length;
  }
}
