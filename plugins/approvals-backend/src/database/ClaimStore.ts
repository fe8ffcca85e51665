import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';

const TABLE = 'approvals_claims';

export interface Claim {
  proposalId: string;
  claimant: string;
  claimedAt: string;
  expiresAt: string;
}

interface ClaimRow {
  proposal_id: string;
  claimant_ref: string;
  claimed_at: string;
  expires_at: string;
}

function fromRow(row: ClaimRow): Claim {
  return {
    proposalId: row.proposal_id,
    claimant: row.claimant_ref,
    claimedAt: row.claimed_at,
    expiresAt: row.expires_at,
  };
}

/** The `approvals_claims` table: one exclusive review lease per proposal. */
export class ClaimStore {
  constructor(private readonly db: Knex) {}

  async find(
    proposalId: string,
    tx?: Knex.Transaction,
  ): Promise<Claim | undefined> {
    const row = await (tx ?? this.db)<ClaimRow>(TABLE)
      .where({ proposal_id: proposalId })
      .first();
    return row ? fromRow(row) : undefined;
  }

  /** The claim if it is still live at `now` (ISO text). */
  async findActive(
    proposalId: string,
    now: string,
    tx?: Knex.Transaction,
  ): Promise<Claim | undefined> {
    const claim = await this.find(proposalId, tx);
    return claim && claim.expiresAt > now ? claim : undefined;
  }

  /**
   * Takes (or renews) the lease. Refused while somebody else holds a live
   * lease; a lapsed lease is taken over with a conditional update so two
   * takers cannot both win.
   */
  async acquire(tx: Knex.Transaction, claim: Claim): Promise<void> {
    const existing = await this.find(claim.proposalId, tx);
    if (!existing) {
      try {
        await tx<ClaimRow>(TABLE).insert({
          proposal_id: claim.proposalId,
          claimant_ref: claim.claimant,
          claimed_at: claim.claimedAt,
          expires_at: claim.expiresAt,
        });
      } catch (error) {
        throw new ConflictError(
          `Proposal ${claim.proposalId} was claimed concurrently; try again`,
          error,
        );
      }
      return;
    }
    if (
      existing.claimant !== claim.claimant &&
      existing.expiresAt > claim.claimedAt
    ) {
      throw new ConflictError(
        `Proposal ${claim.proposalId} is claimed by ${existing.claimant} until ${existing.expiresAt}`,
      );
    }
    const count = await tx<ClaimRow>(TABLE)
      .where({
        proposal_id: existing.proposalId,
        claimant_ref: existing.claimant,
        expires_at: existing.expiresAt,
      })
      .update({
        claimant_ref: claim.claimant,
        claimed_at: claim.claimedAt,
        expires_at: claim.expiresAt,
      });
    if (count !== 1) {
      throw new ConflictError(
        `Proposal ${claim.proposalId} was claimed concurrently; try again`,
      );
    }
  }

  /** Drops the lease if `claimant` holds it. */
  async release(tx: Knex, proposalId: string, claimant: string): Promise<void> {
    await tx<ClaimRow>(TABLE)
      .where({ proposal_id: proposalId, claimant_ref: claimant })
      .delete();
  }
}
