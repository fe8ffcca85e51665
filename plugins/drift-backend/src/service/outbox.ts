import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  DriftFinding,
  DriftSignalOutcome,
} from '@internal/plugin-drift-common';
import { Knex } from 'knex';
import { DriftConfig } from '../config';
import { NotificationStore, OutboxEntry } from '../database/NotificationStore';
import { StoredRun } from '../database/RunStore';
import { titleOf } from './catalog';
import { digestKeyOf, digestPayload } from './digest';
import {
  DriftDelivery,
  SignalMessageInput,
  platformMessage,
  tenantMessage,
} from './notifier';
import { SignalTrigger } from './signals';
import type { RunAudiences } from './subjects';
import { Schedule, quietUntil } from './windows';

const DAY = 24 * 60 * 60 * 1000;
const RETRY_MS = 5 * 60 * 1000;

/** A run's new signals, with what is needed to word them. */
export interface QueuedSignals {
  run: StoredRun;
  findings: DriftFinding[];
  triggers: SignalTrigger[];
  entity: Entity;
  tenantEntity?: Entity;
  audiences: RunAudiences;
  /** The maintenance window the run was observed in: its signals are suppressed. */
  maintenance?: Schedule;
  now: Date;
}

/**
 * Drift notifications: queues a run's signals in the outbox (held for quiet
 * hours, suppressed in a maintenance window) and delivers what is due.
 */
export class DriftOutbox {
  constructor(
    private readonly options: {
      outbox: NotificationStore;
      delivery: DriftDelivery;
      notifications: DriftConfig['notifications'];
      clock: { now(): Date };
      ids: () => string;
      logger?: LoggerService;
    },
  ) {}

  /** Writes the run's notifications inside its transaction; returns what happened to each signal. */
  async queue(tx: Knex.Transaction, q: QueuedSignals) {
    const { notifications } = this.options;
    const { run, maintenance, now } = q;
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
    const signals: DriftSignalOutcome[] = q.triggers.map(t => ({
      kind: t.kind,
      provider: t.provider,
      resource: t.resource,
      status: maintenance ? 'suppressed' : 'queued',
      dueAt: maintenance ? undefined : dueAt,
      reason,
    }));
    if (!notifications.enabled) return signals;
    // A tenant's drift goes out only when the tenant is on the allowlist, and only for its
    // listed providers; a tenant not on the list is told nothing, nor is anybody about it.
    const tenantRef = run.tenant
      ? stringifyEntityRef(
          parseEntityRef(run.tenant, {
            defaultKind: 'tenant',
            defaultNamespace: 'default',
          }),
        ).toLocaleLowerCase('en-US')
      : undefined;
    const route = notifications.tenants.find(t => t.tenant === tenantRef);
    const routed = q.triggers.filter(
      t => !run.tenant || (route?.providers.includes(t.provider) ?? false),
    );
    if (routed.length === 0) return signals;
    const subject =
      tenantRef ??
      stringifyEntityRef(parseEntityRef(run.entity)).toLocaleLowerCase('en-US');
    for (const entry of this.entriesOf({ ...q, triggers: routed })) {
      await this.options.outbox.insert(tx, {
        ...entry,
        digestKey: digestKeyOf(dueAt, entry.audience, subject),
        id: this.options.ids(),
        runId: run.id,
        status: maintenance ? 'suppressed' : 'pending',
        dueAt,
        createdAt: run.receivedAt,
        reason,
      });
    }
    return signals;
  }

  /** One message per audience: the tenant's owners, and the platform's recipients. */
  private entriesOf(
    q: QueuedSignals,
  ): Array<Pick<OutboxEntry, 'audience' | 'recipients' | 'payload'>> {
    const { run, findings } = q;
    const byKey = new Map(
      findings.map(f => [`${f.provider}\u0000${f.resource}`, f]),
    );
    const message: SignalMessageInput = {
      scopeKey: run.scopeKey,
      entity: run.entity,
      entityTitle: titleOf(q.entity, run.entity),
      tenant: run.tenant,
      tenantTitle: run.tenant ? titleOf(q.tenantEntity, run.tenant) : undefined,
      environment: run.environment,
      source: run.source,
      triggers: q.triggers.map(t => ({
        kind: t.kind,
        finding: byKey.get(`${t.provider}\u0000${t.resource}`)!,
      })),
    };
    const { tenantOwners, platformRecipients } = q.audiences;
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
    return entries;
  }

  /**
   * Delivers what is due, one digest at a time: the due entries of one digest go out as one
   * notification (with the day's earlier ones counted in). Returns how many digests went out.
   */
  async flushDue(): Promise<number> {
    const { outbox, clock } = this.options;
    const groups = new Map<string, OutboxEntry[]>();
    for (const entry of await outbox.due(clock.now().toISOString())) {
      const key = entry.digestKey ?? `entry:${entry.id}`;
      groups.set(key, [...(groups.get(key) ?? []), entry]);
    }
    let sent = 0;
    for (const entries of groups.values()) {
      const claimed: OutboxEntry[] = [];
      for (const entry of entries) {
        if (await outbox.claim(entry.id)) claimed.push(entry);
      }
      if (claimed.length > 0 && (await this.deliverDigest(claimed))) sent += 1;
    }
    return sent;
  }

  private async deliverDigest(claimed: OutboxEntry[]): Promise<boolean> {
    const { outbox, clock, delivery, logger } = this.options;
    const now = clock.now();
    const latest = claimed[claimed.length - 1];
    try {
      const payload = latest.digestKey
        ? digestPayload(
            latest.digestKey,
            await outbox.listDigest(latest.digestKey),
          )
        : latest.payload;
      await delivery.deliver({ ...latest, payload });
      for (const entry of claimed) {
        await outbox.markSent(entry.id, clock.now().toISOString());
      }
      return true;
    } catch (error) {
      for (const entry of claimed) {
        const giveUp =
          now.getTime() - new Date(entry.createdAt).getTime() > DAY;
        await outbox.markFailed(
          entry.id,
          giveUp ? undefined : new Date(now.getTime() + RETRY_MS).toISOString(),
          String(error),
        );
      }
      logger?.warn(
        `Drift notification ${
          latest.digestKey ?? latest.id
        } not delivered: ${error}`,
      );
      return false;
    }
  }
}
