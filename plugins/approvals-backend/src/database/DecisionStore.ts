import { Decision, DecisionKind } from '@internal/plugin-approvals-common';
import { Knex } from 'knex';

const TABLE = 'approvals_decisions';

/** A row of `approvals_decisions`. */
export interface DecisionRow {
  id: string;
  proposal_id: string;
  kind: string;
  actor_ref: string;
  decided_at: string;
  expires_at: string | null;
  reason: string | null;
  signature: string | null;
  signing_key_fingerprint: string | null;
  override_reason: string | null;
  override_tracking_ref: string | null;
}

/** Every column of {@link DecisionRow}, for queries that select them under other names. */
export const DECISION_COLUMNS: ReadonlyArray<keyof DecisionRow> = [
  'id',
  'proposal_id',
  'kind',
  'actor_ref',
  'decided_at',
  'expires_at',
  'reason',
  'signature',
  'signing_key_fingerprint',
  'override_reason',
  'override_tracking_ref',
];

export function decisionFromRow(row: DecisionRow): Decision {
  return {
    id: row.id,
    proposalId: row.proposal_id,
    kind: row.kind as DecisionKind,
    actor: row.actor_ref,
    decidedAt: row.decided_at,
    expiresAt: row.expires_at ?? undefined,
    reason: row.reason ?? undefined,
    signature: row.signature ?? undefined,
    signingKeyFingerprint: row.signing_key_fingerprint ?? undefined,
    overrideReason: row.override_reason ?? undefined,
    overrideTrackingRef: row.override_tracking_ref ?? undefined,
  };
}

/** The `approvals_decisions` table: approvals and rejections. */
export class DecisionStore {
  constructor(private readonly db: Knex) {}

  async insert(tx: Knex.Transaction, decision: Decision): Promise<void> {
    await tx<DecisionRow>(TABLE).insert({
      id: decision.id,
      proposal_id: decision.proposalId,
      kind: decision.kind,
      actor_ref: decision.actor,
      decided_at: decision.decidedAt,
      expires_at: decision.expiresAt ?? null,
      reason: decision.reason ?? null,
      signature: decision.signature ?? null,
      signing_key_fingerprint: decision.signingKeyFingerprint ?? null,
      override_reason: decision.overrideReason ?? null,
      override_tracking_ref: decision.overrideTrackingRef ?? null,
    });
  }

  async listForProposal(
    proposalId: string,
    tx?: Knex.Transaction,
  ): Promise<Decision[]> {
    const rows = await (tx ?? this.db)<DecisionRow>(TABLE)
      .where({ proposal_id: proposalId })
      .orderBy([
        { column: 'decided_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(decisionFromRow);
  }
}
