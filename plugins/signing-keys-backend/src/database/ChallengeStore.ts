import {
  SigningKeyChallenge,
  SigningKeyChallengePurpose,
} from '@internal/plugin-fabric-common';
import { Knex } from 'knex';

const TABLE = 'signing_key_challenges';

interface ChallengeRow {
  id: string;
  user_ref: string;
  purpose: string;
  text: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface StoredChallenge extends SigningKeyChallenge {
  usedAt?: string;
}

function fromRow(row: ChallengeRow): StoredChallenge {
  return {
    id: row.id,
    userRef: row.user_ref,
    purpose: row.purpose as SigningKeyChallengePurpose,
    text: row.text,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at ?? undefined,
  };
}

/**
 * The `signing_key_challenges` table. Challenges live in the database, not in memory, so one
 * issued by one replica can be answered at another.
 */
export class ChallengeStore {
  constructor(private readonly db: Knex) {}

  async insert(challenge: SigningKeyChallenge): Promise<void> {
    await this.db<ChallengeRow>(TABLE).insert({
      id: challenge.id,
      user_ref: challenge.userRef,
      purpose: challenge.purpose,
      text: challenge.text,
      created_at: challenge.createdAt,
      expires_at: challenge.expiresAt,
      used_at: null,
    });
  }

  async find(
    id: string,
    tx?: Knex.Transaction,
  ): Promise<StoredChallenge | undefined> {
    const row = await (tx ?? this.db)<ChallengeRow>(TABLE)
      .where({ id })
      .first();
    return row ? fromRow(row) : undefined;
  }

  /**
   * Marks the challenge used; false when it already was. The conditional update is what makes
   * a challenge single-use when two requests race with it.
   */
  async consume(
    tx: Knex.Transaction,
    id: string,
    at: string,
  ): Promise<boolean> {
    const updated = await tx<ChallengeRow>(TABLE)
      .where({ id })
      .whereNull('used_at')
      .update({ used_at: at });
    return updated === 1;
  }

  /** Deletes challenges that expired before `before` (housekeeping). */
  async deleteExpired(before: string): Promise<number> {
    return this.db<ChallengeRow>(TABLE)
      .where('expires_at', '<', before)
      .delete();
  }
}
