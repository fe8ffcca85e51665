import { SigningKeyAuditRecord } from '@internal/plugin-fabric-common';
import { Knex } from 'knex';

const TABLE = 'signing_key_audit';

interface AuditRow {
  seq?: number;
  id: string;
  at: string;
  action: string;
  actor: string;
  user_ref: string;
  key_id: string | null;
  fingerprint: string | null;
  details: string;
}

/** The `signing_key_audit` table: append-only (no update or delete here). */
export class AuditStore {
  constructor(private readonly db: Knex) {}

  async append(
    tx: Knex.Transaction | Knex,
    record: SigningKeyAuditRecord,
  ): Promise<void> {
    await tx<AuditRow>(TABLE).insert({
      id: record.id,
      at: record.at,
      action: record.action,
      actor: record.actor,
      user_ref: record.userRef,
      key_id: record.keyId ?? null,
      fingerprint: record.fingerprint ?? null,
      details: JSON.stringify(record.details),
    });
  }

  async list(options: {
    userRef?: string;
    limit?: number;
  }): Promise<SigningKeyAuditRecord[]> {
    let query = this.db<AuditRow>(TABLE).orderBy('seq', 'desc');
    if (options.userRef) query = query.where({ user_ref: options.userRef });
    const rows = await query.limit(options.limit ?? 100);
    return rows.map(row => ({
      id: row.id,
      at: row.at,
      action: row.action as SigningKeyAuditRecord['action'],
      actor: row.actor,
      userRef: row.user_ref,
      keyId: row.key_id ?? undefined,
      fingerprint: row.fingerprint ?? undefined,
      details: JSON.parse(row.details),
    }));
  }
}
