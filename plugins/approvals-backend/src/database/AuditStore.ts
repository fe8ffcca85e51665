import { createHash } from 'node:crypto';
import {
  AuditChainVerification,
  AuditRecord,
  canonicalJson,
} from '@internal/plugin-approvals-common';
import { Knex } from 'knex';

const TABLE = 'approvals_audit';
const HEAD = 'approvals_audit_head';
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRecordInput {
  id: string;
  proposalId?: string;
  action: string;
  actor: string;
  at: string;
  reason?: string;
  details?: Record<string, unknown>;
}

export type { AuditRecord };

interface AuditRow {
  seq: number | string;
  id: string;
  proposal_id: string | null;
  action: string;
  actor_ref: string;
  at: string;
  reason: string | null;
  details_json: string;
  prev_hash: string;
  hash: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function brokenLink(
  record: AuditRecord,
  count: number,
  problem: string,
): AuditChainVerification {
  return {
    ok: false,
    checked: count,
    firstBroken: { seq: record.seq, id: record.id, reason: problem },
  };
}

/** The hashed content of a record: everything but its own hash. */
function recordHash(record: Omit<AuditRecord, 'hash'>): string {
  return sha256(
    canonicalJson({
      seq: record.seq,
      id: record.id,
      proposalId: record.proposalId ?? null,
      action: record.action,
      actor: record.actor,
      at: record.at,
      reason: record.reason ?? null,
      details: record.details,
      prevHash: record.prevHash,
    }),
  );
}

function fromRow(row: AuditRow): AuditRecord {
  return {
    seq: Number(row.seq),
    id: row.id,
    proposalId: row.proposal_id ?? undefined,
    action: row.action,
    actor: row.actor_ref,
    at: row.at,
    reason: row.reason ?? undefined,
    details: JSON.parse(row.details_json),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * The append-only audit log. Each record carries the sha256 of the previous
 * record and its own sha256 over its canonical JSON. Appends are serialised
 * through the single head row, which is updated first so PostgreSQL holds
 * its row lock until the surrounding transaction ends.
 */
export class AuditStore {
  constructor(private readonly db: Knex) {}

  async append(
    tx: Knex.Transaction,
    input: AuditRecordInput,
  ): Promise<AuditRecord> {
    const locked = await tx(HEAD).where({ id: 1 }).increment('seq', 1);
    if (locked !== 1) {
      throw new Error('The audit log head is missing; run the migrations');
    }
    const head = await tx(HEAD).where({ id: 1 }).first();
    const record: Omit<AuditRecord, 'hash'> = {
      seq: Number(head.seq),
      id: input.id,
      proposalId: input.proposalId,
      action: input.action,
      actor: input.actor,
      at: input.at,
      reason: input.reason,
      details: input.details ?? {},
      prevHash: head.hash,
    };
    const hash = recordHash(record);
    await tx<AuditRow>(TABLE).insert({
      seq: record.seq,
      id: record.id,
      proposal_id: record.proposalId ?? null,
      action: record.action,
      actor_ref: record.actor,
      at: record.at,
      reason: record.reason ?? null,
      details_json: canonicalJson(record.details),
      prev_hash: record.prevHash,
      hash,
    });
    await tx(HEAD).where({ id: 1 }).update({ hash });
    return { ...record, hash };
  }

  async list(filter: { proposalId?: string } = {}): Promise<AuditRecord[]> {
    const q = this.db<AuditRow>(TABLE).orderBy('seq', 'asc');
    if (filter.proposalId) q.where('proposal_id', filter.proposalId);
    return (await q.limit(5000)).map(fromRow);
  }

  /** Walks the whole chain and reports the first broken link. */
  async verifyChain(): Promise<AuditChainVerification> {
    const pageSize = 500;
    let previousHash = GENESIS_HASH;
    let expectedSeq = 1;
    let count = 0;
    for (;;) {
      const rows = await this.db<AuditRow>(TABLE)
        .where('seq', '>=', expectedSeq)
        .orderBy('seq', 'asc')
        .limit(pageSize);
      for (const row of rows) {
        const record = fromRow(row);
        if (record.seq !== expectedSeq) {
          return brokenLink(
            record,
            count,
            `record ${expectedSeq} is missing (found ${record.seq} next)`,
          );
        }
        if (record.prevHash !== previousHash) {
          return brokenLink(
            record,
            count,
            'previous-hash does not match the hash of the record before it',
          );
        }
        if (recordHash(record) !== record.hash) {
          return brokenLink(
            record,
            count,
            'content does not match its hash (record was edited)',
          );
        }
        previousHash = record.hash;
        expectedSeq += 1;
        count += 1;
      }
      if (rows.length < pageSize) break;
    }
    const head = await this.db(HEAD).where({ id: 1 }).first();
    if (!head || Number(head.seq) !== count || head.hash !== previousHash) {
      return {
        ok: false,
        checked: count,
        firstBroken: {
          seq: count + 1,
          reason: `the head says ${
            head?.seq ?? 'nothing'
          } records but the chain has ${count} (records removed at the end)`,
        },
      };
    }
    return { ok: true, checked: count };
  }
}
