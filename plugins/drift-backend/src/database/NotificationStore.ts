import { Knex } from 'knex';

const TABLE = 'drift_notifications';

/** `pending` until due, `sending` while one instance delivers it, then `sent`; `suppressed` never goes out. */
export type OutboxStatus =
  | 'pending'
  | 'sending'
  | 'sent'
  | 'suppressed'
  | 'failed';

export interface OutboxPayload {
  title: string;
  description: string;
  link: string;
  severity: 'critical' | 'high' | 'normal' | 'low';
  topic: string;
  scope: string;
}

export interface OutboxEntry {
  id: string;
  runId: string;
  status: OutboxStatus;
  dueAt: string;
  createdAt: string;
  sentAt?: string;
  audience: 'tenant' | 'platform';
  recipients: string[];
  payload: OutboxPayload;
  reason?: string;
  /** The digest the entry goes out in (`digestKey`); absent on entries from before digests. */
  digestKey?: string;
}

interface OutboxRow {
  id: string;
  run_id: string;
  status: string;
  due_at: string;
  created_at: string;
  sent_at: string | null;
  audience: string;
  recipients_json: string;
  payload_json: string;
  reason: string | null;
  digest_key: string | null;
}

function fromRow(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    runId: row.run_id,
    status: row.status as OutboxStatus,
    dueAt: row.due_at,
    createdAt: row.created_at,
    sentAt: row.sent_at ?? undefined,
    audience: row.audience as OutboxEntry['audience'],
    recipients: JSON.parse(row.recipients_json),
    payload: JSON.parse(row.payload_json),
    reason: row.reason ?? undefined,
    digestKey: row.digest_key ?? undefined,
  };
}

/** The `drift_notifications` outbox. */
export class NotificationStore {
  constructor(private readonly db: Knex) {}

  async insert(tx: Knex.Transaction, entry: OutboxEntry): Promise<void> {
    await tx<OutboxRow>(TABLE).insert({
      id: entry.id,
      run_id: entry.runId,
      status: entry.status,
      due_at: entry.dueAt,
      created_at: entry.createdAt,
      sent_at: entry.sentAt ?? null,
      audience: entry.audience,
      recipients_json: JSON.stringify(entry.recipients),
      payload_json: JSON.stringify(entry.payload),
      reason: entry.reason ?? null,
      digest_key: entry.digestKey ?? null,
    });
  }

  async listForRun(runId: string): Promise<OutboxEntry[]> {
    const rows = await this.db<OutboxRow>(TABLE)
      .where('run_id', runId)
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'audience', order: 'asc' },
      ]);
    return rows.map(fromRow);
  }

  async due(now: string, limit = 100): Promise<OutboxEntry[]> {
    const rows = await this.db<OutboxRow>(TABLE)
      .where('status', 'pending')
      .where('due_at', '<=', now)
      .orderBy('due_at', 'asc')
      .limit(limit);
    return rows.map(fromRow);
  }

  /** The entries of a digest that went out or are going out now, oldest first. */
  async listDigest(digestKey: string): Promise<OutboxEntry[]> {
    const rows = await this.db<OutboxRow>(TABLE)
      .where('digest_key', digestKey)
      .whereIn('status', ['sent', 'sending'])
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(fromRow);
  }

  /** Takes a pending entry for delivery; false when another instance took it first. */
  async claim(id: string): Promise<boolean> {
    const count = await this.db<OutboxRow>(TABLE)
      .where({ id, status: 'pending' })
      .update({ status: 'sending' });
    return count === 1;
  }

  async markSent(id: string, at: string): Promise<void> {
    await this.db<OutboxRow>(TABLE)
      .where({ id })
      .update({ status: 'sent', sent_at: at });
  }

  /** Puts an entry back for a later attempt, or gives up on it. */
  async markFailed(
    id: string,
    retryAt: string | undefined,
    reason: string,
  ): Promise<void> {
    await this.db<OutboxRow>(TABLE)
      .where({ id })
      .update(
        retryAt
          ? { status: 'pending', due_at: retryAt, reason }
          : { status: 'failed', reason },
      );
  }

  /**
   * Drops delivered, suppressed and failed entries created before `cutoff`, except those of the
   * runs `keepRunIds` selects (a subquery of run ids, e.g. the runs of tenants under a legal hold).
   */
  async deleteSettledBefore(
    cutoff: string,
    keepRunIds?: Knex.QueryBuilder,
  ): Promise<number> {
    const q = this.db<OutboxRow>(TABLE)
      .whereIn('status', ['sent', 'suppressed', 'failed'])
      .where('created_at', '<', cutoff);
    if (keepRunIds) q.whereNotIn('run_id', keepRunIds);
    return q.delete();
  }
}
