import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Decision,
  Proposal,
  ProposalState,
  ProposalValidation,
} from '@internal/plugin-approvals-common';
import { Knex } from 'knex';
import {
  DECISION_COLUMNS,
  DecisionRow,
  decisionFromRow,
} from './DecisionStore';
import { ProposalFilter, whereProposals } from './proposalFilter';

export type { ProposalFilter } from './proposalFilter';

const TABLE = 'approvals_proposals';
/** Prefix of the decision columns in {@link ProposalStore.latestByChangeWithDecisions}. */
const DECISION_PREFIX = 'decision_';
/** What the gate's fast path uses of a better-sqlite3 connection and statement. */
interface SqliteStatement {
  all(values: unknown[]): unknown[];
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}
/** Stand-ins for the gate statement's values, replaced by each call's (compiled once). */
const TENANT_SLOT = '\u0000tenant';
const CHANGE_REF_SLOT = '\u0000changeRef';

interface ProposalRow {
  id: string;
  tenant_ref: string;
  type: string;
  environment_ref: string;
  title: string;
  change_json: string;
  requester_ref: string;
  evidence_json: string;
  supersedes_id: string | null;
  change_ref: string | null;
  submitted_at: string;
  digest: string;
  state: string;
  version: number | string;
  updated_at: string;
  superseded_by_id: string | null;
  validation_json: string | null;
  applied_reference: string | null;
  applied_at: string | null;
  packets_json: string | null;
  applied_by: string | null;
  applied_packet: string | null;
  verified_at: string | null;
  verified_by: string | null;
  verified_packet: string | null;
  rolled_back_at: string | null;
  rolled_back_by: string | null;
  rollback_reason: string | null;
  rollback_packet: string | null;
  verify_overdue_at: string | null;
}

/** Lifecycle fields after apply: proposal field <-> column, all nullable text. */
const LIFECYCLE_COLUMNS = {
  appliedBy: 'applied_by',
  appliedPacket: 'applied_packet',
  verifiedAt: 'verified_at',
  verifiedBy: 'verified_by',
  verifiedPacket: 'verified_packet',
  rolledBackAt: 'rolled_back_at',
  rolledBackBy: 'rolled_back_by',
  rollbackReason: 'rollback_reason',
  rollbackPacket: 'rollback_packet',
  verifyOverdueAt: 'verify_overdue_at',
} as const satisfies Partial<Record<keyof Proposal, keyof ProposalRow>>;

type LifecycleField = keyof typeof LIFECYCLE_COLUMNS;

/** The lifecycle fields a transition may change; the content never changes. */
export interface ProposalPatch {
  state?: ProposalState;
  validation?: ProposalValidation;
  supersededBy?: string;
  appliedReference?: string;
  appliedAt?: string;
}

/** The patch with the lifecycle fields after apply. */
export type LifecyclePatch = ProposalPatch &
  Partial<Record<LifecycleField, string>>;

function fromRow(row: ProposalRow): Proposal {
  const lifecycle: Partial<Record<LifecycleField, string>> = {};
  for (const [field, column] of Object.entries(LIFECYCLE_COLUMNS)) {
    const value = row[column as keyof ProposalRow];
    if (value !== null && value !== undefined) {
      lifecycle[field as LifecycleField] = String(value);
    }
  }
  return {
    ...lifecycle,
    id: row.id,
    tenant: row.tenant_ref,
    type: row.type as Proposal['type'],
    environment: row.environment_ref,
    title: row.title,
    change: JSON.parse(row.change_json),
    requester: row.requester_ref,
    evidence: JSON.parse(row.evidence_json),
    packets: row.packets_json ? JSON.parse(row.packets_json) : [],
    supersedes: row.supersedes_id ?? undefined,
    changeRef: row.change_ref ?? undefined,
    submittedAt: row.submitted_at,
    digest: row.digest,
    state: row.state as ProposalState,
    version: Number(row.version),
    updatedAt: row.updated_at,
    supersededBy: row.superseded_by_id ?? undefined,
    validation: row.validation_json
      ? JSON.parse(row.validation_json)
      : undefined,
    appliedReference: row.applied_reference ?? undefined,
    appliedAt: row.applied_at ?? undefined,
  };
}

/** The `approvals_proposals` table. */
export class ProposalStore {
  private gateStatement?: { sql: string; bindings: ReadonlyArray<unknown> };
  /** The gate statement prepared on each SQLite connection (see runGateStatement). */
  private readonly prepared = new WeakMap<SqliteConnection, SqliteStatement>();

  constructor(private readonly db: Knex) {}

  /**
   * Runs the gate statement. On SQLite (better-sqlite3, which knex would make prepare it again
   * on every call) it is prepared once per connection and kept; elsewhere it goes through knex.
   */
  private async runGateStatement(
    sql: string,
    values: unknown[],
  ): Promise<Array<ProposalRow & Record<string, unknown>>> {
    const client = this.db.client as {
      driverName?: string;
      acquireConnection(): Promise<SqliteConnection>;
      releaseConnection(connection: SqliteConnection): Promise<unknown>;
    };
    if (client.driverName !== 'better-sqlite3' || this.db.isTransaction) {
      const result = await this.db.raw(sql, values as Knex.RawBinding[]);
      // pg answers { rows }, better-sqlite3 the rows themselves.
      return Array.isArray(result) ? result : result.rows;
    }
    const connection = await client.acquireConnection();
    try {
      let prepared = this.prepared.get(connection);
      if (!prepared) {
        prepared = connection.prepare(sql);
        this.prepared.set(connection, prepared);
      }
      return prepared.all(values) as Array<
        ProposalRow & Record<string, unknown>
      >;
    } finally {
      await client.releaseConnection(connection);
    }
  }

  /** {@link latestByChangeWithDecisions}'s statement, with slots for its two values. */
  private compileGateStatement() {
    const latest = this.db<ProposalRow>(TABLE)
      .where({ tenant_ref: TENANT_SLOT, change_ref: CHANGE_REF_SLOT })
      .orderBy([
        { column: 'submitted_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      // Written into the statement: a bound LIMIT made SQLite's planner walk the tenant's
      // proposals by date (about 10x the CPU of this form, measured with the gate bench).
      .limit(1, { skipBinding: true })
      .as('p');
    const { sql, bindings } = this.db
      .from(latest)
      .leftJoin('approvals_decisions as d', 'd.proposal_id', 'p.id')
      .select(
        'p.*',
        ...DECISION_COLUMNS.map(c => `d.${c} as ${DECISION_PREFIX}${c}`),
      )
      .orderBy([
        { column: 'd.decided_at', order: 'asc' },
        { column: 'd.id', order: 'asc' },
      ])
      .toSQL();
    return { sql, bindings };
  }

  async insert(tx: Knex.Transaction, proposal: Proposal): Promise<void> {
    await tx<ProposalRow>(TABLE).insert({
      id: proposal.id,
      tenant_ref: proposal.tenant,
      type: proposal.type,
      environment_ref: proposal.environment,
      title: proposal.title,
      change_json: JSON.stringify(proposal.change),
      requester_ref: proposal.requester,
      evidence_json: JSON.stringify(proposal.evidence),
      supersedes_id: proposal.supersedes ?? null,
      change_ref: proposal.changeRef ?? null,
      submitted_at: proposal.submittedAt,
      digest: proposal.digest,
      state: proposal.state,
      version: proposal.version,
      updated_at: proposal.updatedAt,
      superseded_by_id: null,
      validation_json: proposal.validation
        ? JSON.stringify(proposal.validation)
        : null,
      applied_reference: null,
      applied_at: null,
      packets_json: JSON.stringify(proposal.packets ?? []),
    });
  }

  async find(id: string, tx?: Knex.Transaction): Promise<Proposal | undefined> {
    const row = await (tx ?? this.db)<ProposalRow>(TABLE).where({ id }).first();
    return row ? fromRow(row) : undefined;
  }

  async get(id: string, tx?: Knex.Transaction): Promise<Proposal> {
    const proposal = await this.find(id, tx);
    if (!proposal) {
      throw new NotFoundError(`No proposal with id ${id}`);
    }
    return proposal;
  }

  async list(filter: ProposalFilter): Promise<Proposal[]> {
    const q = this.db<ProposalRow>(TABLE).orderBy([
      { column: 'submitted_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ]);
    whereProposals(this.db, q, filter);
    const rows = await q.offset(filter.offset ?? 0).limit(filter.limit ?? 500);
    return rows.map(fromRow);
  }

  /** How many proposals the filter matches (its limit and offset left out). */
  async count(filter: ProposalFilter): Promise<number> {
    const q = this.db(TABLE).count({ n: '*' });
    whereProposals(this.db, q, filter);
    const [row] = await q;
    return Number(row?.n ?? 0);
  }

  /** How many proposals the filter matches in each state (states with none left out). */
  async countByState(
    filter: ProposalFilter,
  ): Promise<Partial<Record<ProposalState, number>>> {
    const q = this.db(TABLE).select('state').count({ n: '*' }).groupBy('state');
    whereProposals(this.db, q, filter);
    const rows = (await q) as unknown as Array<{
      state: string;
      n: number | string;
    }>;
    return Object.fromEntries(
      rows.map(r => [r.state as ProposalState, Number(r.n)]),
    );
  }

  /**
   * The newest proposal of `tenant` carrying `changeRef` (the order of {@link list}) with its
   * decisions, oldest first (the order of `DecisionStore.listForProposal`), read in one
   * statement: one round trip and one snapshot for the gate, which is asked often.
   */
  async latestByChangeWithDecisions(
    tenant: string,
    changeRef: string,
  ): Promise<{ proposal: Proposal; decisions: Decision[] } | undefined> {
    // The gate asks this many times a second: the statement is compiled once per store, and
    // each call only binds its two values (no query builder per request).
    const statement = (this.gateStatement ??= this.compileGateStatement());
    const values = statement.bindings.map(b => {
      if (b === TENANT_SLOT) return tenant;
      return b === CHANGE_REF_SLOT ? changeRef : b;
    });
    const rows: Array<ProposalRow & Record<string, unknown>> =
      await this.runGateStatement(statement.sql, values);
    if (rows.length === 0) {
      return undefined;
    }
    const decisions = rows
      .filter(row => row[`${DECISION_PREFIX}id`] !== null)
      .map(row =>
        decisionFromRow(
          Object.fromEntries(
            DECISION_COLUMNS.map(c => [c, row[`${DECISION_PREFIX}${c}`]]),
          ) as unknown as DecisionRow,
        ),
      );
    return { proposal: fromRow(rows[0]), decisions };
  }

  /**
   * Applies a patch only when the proposal is still at `expected` (state and
   * version), bumping the version. Exactly one of several concurrent callers
   * wins; the others get a ConflictError and their transaction rolls back.
   */
  async update(
    tx: Knex.Transaction,
    expected: Pick<Proposal, 'id' | 'state' | 'version'>,
    patch: LifecyclePatch,
    updatedAt: string,
  ): Promise<void> {
    const changes: Partial<ProposalRow> = {
      version: expected.version + 1,
      updated_at: updatedAt,
    };
    if (patch.state) changes.state = patch.state;
    if (patch.validation) {
      changes.validation_json = JSON.stringify(patch.validation);
    }
    if (patch.supersededBy) changes.superseded_by_id = patch.supersededBy;
    if (patch.appliedReference) {
      changes.applied_reference = patch.appliedReference;
    }
    if (patch.appliedAt) changes.applied_at = patch.appliedAt;
    for (const [field, column] of Object.entries(LIFECYCLE_COLUMNS)) {
      const value = patch[field as LifecycleField];
      if (value !== undefined) {
        (changes as Record<string, unknown>)[column] = value;
      }
    }
    const count = await tx<ProposalRow>(TABLE)
      .where({
        id: expected.id,
        state: expected.state,
        version: expected.version,
      })
      .update(changes);
    if (count !== 1) {
      throw new ConflictError(
        `Proposal ${expected.id} changed while this request was processed (expected ${expected.state} at version ${expected.version}); reload and try again`,
      );
    }
  }
}
