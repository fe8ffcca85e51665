import { randomUUID } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  DriftAudience,
  DriftCurrent,
  DriftCurrentQuery,
  DriftFinding,
  DriftHistory,
  DriftHistoryQuery,
  DriftOverview,
  DriftOverviewRow,
  DriftRunDetail,
  DriftRunReceipt,
  DriftRunSubmission,
  DriftRunSummary,
  DriftSignalOutcome,
  DriftVerdict,
  verdictRank,
  worstVerdict,
} from '@internal/plugin-drift-common';
import {
  TenantOwnership,
  tenantsOfEntity,
} from '@internal/plugin-fabric-common';
import { Knex } from 'knex';
import { DriftConfig } from '../config';
import { NotificationStore, OutboxEntry } from '../database/NotificationStore';
import { RunFilter, RunStore, StoredRun } from '../database/RunStore';
import { StateStore, scopeKeyOf } from '../database/StateStore';
import {
  DriftCatalog,
  RunbookDirectory,
  ownersOf,
  tenantScopedRecipients,
  titleOf,
} from './catalog';
import {
  DriftDelivery,
  SignalMessageInput,
  platformMessage,
  tenantMessage,
} from './notifier';
import { redactSecretKeys } from './redaction';
import { evaluateSignals } from './signals';
import { activeSchedule, quietUntil } from './windows';

/** Which tenants' drift a caller may read: all, or those of some tenants. */
export type ReadScope = { all: true } | { all: false; tenants: string[] };

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

const DAY = 24 * 60 * 60 * 1000;
/** CI clocks drift too; a run a few minutes "ahead" is still accepted. */
const FUTURE_SKEW_MS = 5 * 60 * 1000;
const RETRY_MS = 5 * 60 * 1000;

function summaryOf(run: StoredRun): DriftRunSummary {
  const { scopeKey: _scopeKey, ...summary } = run;
  return summary;
}

const audienceOf = (scope: ReadScope): DriftAudience =>
  scope.all ? 'platform' : 'tenant';

const tenantFilter = (scope: ReadScope): Pick<RunFilter, 'tenantIn'> =>
  scope.all ? {} : { tenantIn: scope.tenants };

/**
 * Drift signals: stores runs with their history, answers the current state,
 * history and overview, and raises notifications by rule. Nothing here ever
 * changes infrastructure.
 */
export class DriftService {
  readonly runs: RunStore;
  private readonly states = new StateStore();
  readonly outbox: NotificationStore;
  private readonly runbooks: RunbookDirectory;
  private readonly clock: { now(): Date };
  private readonly ids: () => string;

  constructor(private readonly options: DriftServiceOptions) {
    this.runs = new RunStore(options.db);
    this.outbox = new NotificationStore(options.db);
    this.runbooks = new RunbookDirectory(
      options.catalog,
      options.config.runbooks,
    );
    this.clock = options.clock ?? { now: () => new Date() };
    this.ids = options.ids ?? randomUUID;
  }

  /** Looks up the run's entity and tenant; a run about something unknown is refused. */
  private async resolveSubjects(run: DriftRunSubmission): Promise<{
    entity: Entity;
    tenant?: string;
    tenantEntity?: Entity;
    tenants: TenantOwnership[];
  }> {
    const get = async (ref: string) => {
      try {
        return await this.options.catalog.getEntity(ref);
      } catch (error) {
        throw new ServiceUnavailableError(
          `The catalog could not be asked about ${ref}; try again shortly (${error})`,
        );
      }
    };
    const field = run.entity === run.tenant ? 'tenant' : 'entity';
    const entity = await get(run.entity);
    if (!entity) {
      throw new InputError(
        `${field}: ${run.entity} is not in the catalog; fix the reference or register the entity first`,
      );
    }
    let tenants: TenantOwnership[];
    try {
      tenants = await this.options.catalog.tenants();
    } catch (error) {
      throw new ServiceUnavailableError(
        `The catalog could not be asked for the tenants; try again shortly (${error})`,
      );
    }
    // The tenancy rule (fabric-common): the tenants the entity belongs to, by label or owner.
    const entityTenants = tenantsOfEntity(entity, tenants);
    let tenant = run.tenant;
    if (!tenant && entityTenants.length === 1) {
      // A tenant's own component: its drift belongs to the tenant.
      tenant = entityTenants[0];
    }
    const tenantRef = tenant?.toLocaleLowerCase('en-US');
    if (tenantRef && entityTenants.some(t => t !== tenantRef)) {
      // Pairing another tenant's entity with this tenant would tell each about the other.
      throw new InputError(
        `entity: ${run.entity} belongs to ${entityTenants.join(
          ', ',
        )}, not to ${tenant}; send the run for the entity's own tenant or a shared entity`,
      );
    }
    if (!tenant) return { entity, tenants };
    const tenantEntity = tenant === run.entity ? entity : await get(tenant);
    if (!tenantEntity) {
      throw new InputError(
        `tenant: ${tenant} is not in the catalog; fix the tenant name`,
      );
    }
    const environments = (tenantEntity.spec as { environments?: unknown })
      ?.environments;
    if (
      Array.isArray(environments) &&
      !environments.includes(run.environment)
    ) {
      throw new InputError(
        `environment: ${
          run.environment
        } is not one of ${tenant}'s environments (${environments.join(
          ', ',
        )}); fix the environment or the tenant`,
      );
    }
    return { entity, tenant, tenantEntity, tenants };
  }

  /**
   * Who hears about a run: the tenant's owners (tenant wording) and the entity's owners plus the
   * configured recipients (platform wording, which names the tenant and the entity), each kept
   * only where the tenancy rule lets them hear about the tenant and the entity. Asked before the
   * transaction: user recipients are looked up in the catalog.
   */
  private async audiencesOf(
    entity: Entity,
    tenantEntity: Entity | undefined,
    tenants: TenantOwnership[],
  ): Promise<{ tenantOwners: string[]; platformRecipients: string[] }> {
    const subjects = tenantEntity ? [entity, tenantEntity] : [entity];
    const allowed = (candidates: string[]) =>
      tenantScopedRecipients(
        this.options.catalog,
        candidates,
        subjects,
        tenants,
      );
    const tenantOwners = await allowed(
      tenantEntity ? ownersOf(tenantEntity) : [],
    );
    const platformRecipients = (
      await allowed([
        ...(tenantEntity === entity ? [] : ownersOf(entity)),
        ...this.options.config.notifications.recipients,
      ])
    ).filter(r => !tenantOwners.includes(r));
    return { tenantOwners, platformRecipients };
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
      await this.resolveSubjects(input);
    const audiences = await this.audiencesOf(entity, tenantEntity, tenants);
    const id = this.ids();
    const findings: DriftFinding[] = input.findings.map(f => ({
      runId: id,
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

    const signals: DriftSignalOutcome[] = [];
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

      const quiet = maintenance
        ? undefined
        : quietUntil(notifications.quietHours, run.environment, now);
      const dueAt = (quiet ?? now).toISOString();
      let reason: string | undefined;
      if (maintenance) {
        reason = `inside the maintenance window ${maintenance.name}`;
      } else if (quiet) {
        reason = `held for quiet hours until ${dueAt}`;
      }
      const byKey = new Map(
        findings.map(f => [`${f.provider}\u0000${f.resource}`, f]),
      );
      for (const t of evaluation.triggers) {
        signals.push({
          kind: t.kind,
          provider: t.provider,
          resource: t.resource,
          status: maintenance ? 'suppressed' : 'queued',
          dueAt: maintenance ? undefined : dueAt,
          reason,
        });
      }
      if (!notifications.enabled) return;
      // A tenant's drift goes out only when the tenant is on the allowlist, and only for its
      // listed providers; a tenant not on the list is told nothing, nor is anybody about it.
      const tenantRef = tenant
        ? stringifyEntityRef(
            parseEntityRef(tenant, {
              defaultKind: 'tenant',
              defaultNamespace: 'default',
            }),
          ).toLocaleLowerCase('en-US')
        : undefined;
      const route = notifications.tenants.find(t => t.tenant === tenantRef);
      const routed = evaluation.triggers.filter(
        t => !tenant || (route?.providers.includes(t.provider) ?? false),
      );
      if (routed.length === 0) return;
      const message: SignalMessageInput = {
        scopeKey,
        entity: run.entity,
        entityTitle: titleOf(entity, run.entity),
        tenant,
        tenantTitle: tenant ? titleOf(tenantEntity, tenant) : undefined,
        environment: run.environment,
        source: run.source,
        triggers: routed.map(t => ({
          kind: t.kind,
          finding: byKey.get(`${t.provider}\u0000${t.resource}`)!,
        })),
      };
      const { tenantOwners, platformRecipients } = audiences;
      const entries: Array<
        Pick<OutboxEntry, 'audience' | 'recipients' | 'payload'>
      > = [];
      if (tenantOwners.length > 0) {
        entries.push({
          audience: 'tenant',
          recipients: tenantOwners,
          payload: tenantMessage(message),
        });
      }
      if (platformRecipients.length > 0) {
        entries.push({
          audience: 'platform',
          recipients: platformRecipients,
          payload: platformMessage(message),
        });
      }
      for (const entry of entries) {
        await this.outbox.insert(tx, {
          ...entry,
          id: this.ids(),
          runId: id,
          status: maintenance ? 'suppressed' : 'pending',
          dueAt,
          createdAt: run.receivedAt,
          reason,
        });
      }
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
  async flushDue(): Promise<number> {
    const now = this.clock.now();
    let sent = 0;
    for (const entry of await this.outbox.due(now.toISOString())) {
      if (!(await this.outbox.claim(entry.id))) continue;
      try {
        await this.options.delivery.deliver(entry);
        await this.outbox.markSent(entry.id, this.clock.now().toISOString());
        sent += 1;
      } catch (error) {
        const giveUp =
          now.getTime() - new Date(entry.createdAt).getTime() > DAY;
        await this.outbox.markFailed(
          entry.id,
          giveUp ? undefined : new Date(now.getTime() + RETRY_MS).toISOString(),
          String(error),
        );
        this.options.logger?.warn(
          `Drift notification ${entry.id} not delivered: ${error}`,
        );
      }
    }
    return sent;
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

  async current(
    query: DriftCurrentQuery,
    scope: ReadScope,
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
    scope: ReadScope,
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
  async overview(scope: ReadScope): Promise<DriftOverview> {
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

  /** Applies the retention: old runs go, each scope's newest run stays. */
  async cleanup(): Promise<{ runs: number; notifications: number }> {
    const cutoff = new Date(
      this.clock.now().getTime() - this.options.config.retention.maxAgeMs,
    ).toISOString();
    return {
      runs: await this.runs.deleteOlderThan(cutoff),
      notifications: await this.outbox.deleteSettledBefore(cutoff),
    };
  }

  /** For the router: a missing run and an unreadable one look the same. */
  static notFound(id: string): NotFoundError {
    return new NotFoundError(`No drift run with id ${id}`);
  }
}
