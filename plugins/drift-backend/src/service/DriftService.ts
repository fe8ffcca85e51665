import { randomUUID } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  DriftCurrent,
  DriftCurrentQuery,
  DriftFinding,
  DriftHistory,
  DriftHistoryQuery,
  DriftOverview,
  DriftRunDetail,
  DriftRunReceipt,
  DriftRunSubmission,
  DriftSignalOutcome,
  worstVerdict,
} from '@internal/plugin-drift-common';
import { Knex } from 'knex';
import { DriftConfig } from '../config';
import { NotificationStore } from '../database/NotificationStore';
import type { TenantScope } from '@internal/plugin-fabric-node';
import { RunStore, StoredRun } from '../database/RunStore';
import { StateStore, scopeKeyOf } from '../database/StateStore';
import { DriftCatalog, RunbookDirectory } from './catalog';
import { DriftDelivery } from './notifier';
import { DriftOutbox } from './outbox';
import { DriftQueries, summaryOf } from './queries';
import { redactSecretKeys } from './redaction';
import { evaluateSignals } from './signals';
import { DriftSubjects } from './subjects';
import { activeSchedule } from './windows';

/** A validated run plus how it arrived. */
export type IngestInput = DriftRunSubmission & {
  format: 'json' | 'terraform';
  toolVersion?: string;
};

export interface DriftServiceOptions {
  db: Knex;
  config: DriftConfig;
  catalog: DriftCatalog;
  delivery: DriftDelivery;
  logger?: LoggerService;
  clock?: { now(): Date };
  ids?: () => string;
}

/** CI clocks drift too; a run a few minutes "ahead" is still accepted. */
const FUTURE_SKEW_MS = 5 * 60 * 1000;

function findingsOf(input: IngestInput, runId: string): DriftFinding[] {
  return input.findings.map(f => ({
    runId,
    provider: f.provider,
    resource: f.resource,
    resourceType: f.resourceType,
    class: f.class,
    verdict: f.verdict,
    declared:
      f.declared === undefined ? undefined : redactSecretKeys(f.declared),
    observed:
      f.observed === undefined ? undefined : redactSecretKeys(f.observed),
    message: f.message,
  }));
}

/**
 * Drift signals: stores runs with their history, answers the current state,
 * history and overview, and raises notifications by rule. Nothing here ever
 * changes infrastructure. A façade over the subjects (catalog), the outbox
 * (notifications) and the queries (read side).
 */
export class DriftService {
  readonly runs: RunStore;
  private readonly states = new StateStore();
  readonly outbox: NotificationStore;
  private readonly clock: { now(): Date };
  private readonly ids: () => string;
  private readonly subjects: DriftSubjects;
  private readonly notifications: DriftOutbox;
  private readonly queries: DriftQueries;

  constructor(private readonly options: DriftServiceOptions) {
    this.runs = new RunStore(options.db);
    this.outbox = new NotificationStore(options.db);
    this.clock = options.clock ?? { now: () => new Date() };
    this.ids = options.ids ?? randomUUID;
    this.subjects = new DriftSubjects(
      options.catalog,
      options.config.notifications.recipients,
    );
    this.notifications = new DriftOutbox({
      outbox: this.outbox,
      delivery: options.delivery,
      notifications: options.config.notifications,
      clock: this.clock,
      ids: this.ids,
      logger: options.logger,
    });
    this.queries = new DriftQueries(
      this.runs,
      new RunbookDirectory(options.catalog, options.config.runbooks),
      this.clock,
    );
  }

  /** Stores a run (refused whole when anything is wrong) and raises its signals. */
  async ingest(
    input: IngestInput,
    submittedBy: string,
  ): Promise<DriftRunReceipt> {
    const now = this.clock.now();
    const observed = input.observedAt ? new Date(input.observedAt) : now;
    if (observed.getTime() > now.getTime() + FUTURE_SKEW_MS) {
      throw new InputError(
        `observedAt: ${input.observedAt} is in the future; send the time the state was observed`,
      );
    }
    const { entity, tenant, tenantEntity, tenants } =
      await this.subjects.resolve(input);
    // Asked before the transaction: user recipients are looked up in the catalog.
    const audiences = await this.subjects.audiences(
      entity,
      tenantEntity,
      tenants,
    );
    const id = this.ids();
    const findings = findingsOf(input, id);
    const scope = {
      entity: input.entity,
      tenant,
      environment: input.environment,
      source: input.source,
    };
    const scopeKey = scopeKeyOf(scope);
    const run: StoredRun = {
      id,
      scopeKey,
      source: input.source,
      environment: input.environment,
      tenant,
      entity: input.entity,
      format: input.format,
      toolVersion: input.toolVersion,
      observedAt: observed.toISOString(),
      receivedAt: now.toISOString(),
      verdict: worstVerdict(findings.map(f => f.verdict)),
      counts: {
        pass: findings.filter(f => f.verdict === 'PASS').length,
        warn: findings.filter(f => f.verdict === 'WARN').length,
        fail: findings.filter(f => f.verdict === 'FAIL').length,
      },
      providers: [
        ...new Set([
          ...(input.providers ?? []),
          ...findings.map(f => f.provider),
        ]),
      ].sort(),
      runUrl: input.runUrl,
      submittedBy,
    };

    let signals: DriftSignalOutcome[] = [];
    await this.options.db.transaction(async tx => {
      await this.runs.insert(tx, run, findings);
      // A late run (observed before the scope's newest) is history only.
      if (await this.runs.hasNewer(tx, scopeKey, run.observedAt, id)) return;
      const { notifications } = this.options.config;
      const maintenance = activeSchedule(
        notifications.maintenanceWindows,
        run.environment,
        observed,
      );
      const evaluation = evaluateSignals(
        await this.states.forScope(tx, scopeKey),
        findings,
        {
          warnAfterRuns: notifications.warnAfterRuns,
          suppressed: maintenance !== undefined,
        },
      );
      await this.states.replaceScope(
        tx,
        scope,
        id,
        evaluation.next,
        run.receivedAt,
      );
      if (evaluation.triggers.length === 0) return;
      signals = await this.notifications.queue(tx, {
        run,
        findings,
        triggers: evaluation.triggers,
        entity,
        tenantEntity,
        audiences,
        maintenance,
        now,
      });
    });
    try {
      await this.flushDue();
    } catch (error) {
      // The run is stored; the scheduled flush retries delivery.
      this.options.logger?.warn(`Drift notifications not sent yet: ${error}`);
    }
    return { run: summaryOf(run), signals };
  }

  /** Delivers every notification that is due. Returns how many went out. */
  flushDue(): Promise<number> {
    return this.notifications.flushDue();
  }

  async getRun(id: string): Promise<StoredRun> {
    return this.runs.get(id);
  }

  async runDetail(run: StoredRun): Promise<DriftRunDetail> {
    return {
      run: summaryOf(run),
      findings: await this.runs.findings([run.id]),
    };
  }

  current(query: DriftCurrentQuery, scope: TenantScope): Promise<DriftCurrent> {
    return this.queries.current(query, scope);
  }

  history(query: DriftHistoryQuery, scope: TenantScope): Promise<DriftHistory> {
    return this.queries.history(query, scope);
  }

  /** Tenants (and platform entities) x providers, FAIL rows first, newest FAIL first. */
  overview(scope: TenantScope): Promise<DriftOverview> {
    return this.queries.overview(scope);
  }

  /**
   * Applies the retention: old runs go, each scope's newest run stays. Runs of a tenant under a
   * legal hold, and their notifications, stay until the hold is lifted; when the catalog cannot
   * say which tenants are held, nothing is deleted (the error propagates, the job tries again).
   */
  async cleanup(): Promise<{ runs: number; notifications: number }> {
    const held = await this.options.catalog.heldTenants();
    const cutoff = new Date(
      this.clock.now().getTime() - this.options.config.retention.maxAgeMs,
    ).toISOString();
    return {
      runs: await this.runs.deleteOlderThan(cutoff, held),
      notifications: await this.outbox.deleteSettledBefore(
        cutoff,
        this.runs.idsOfTenants(held),
      ),
    };
  }
}
