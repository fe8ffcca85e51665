import { Knex } from 'knex';

const TABLE = 'signing_key_fingerprints';

interface FingerprintRow {
  fingerprint: string;
  key_id: string;
  user_ref: string;
}

/** A fingerprint already claimed by an active key. */
export interface FingerprintClaim {
  fingerprint: string;
  keyId: string;
  userRef: string;
}

/**
 * The `signing_key_fingerprints` table: the primary and subkey fingerprints of active keys.
 * The fingerprint is the primary key, so one fingerprint has one owner even when two
 * replicas register at once.
 */
export class FingerprintStore {
  constructor(private readonly db: Knex) {}

  async claimsOf(
    fingerprints: string[],
    tx?: Knex.Transaction,
  ): Promise<FingerprintClaim[]> {
    if (fingerprints.length === 0) return [];
    const rows = await (tx ?? this.db)<FingerprintRow>(TABLE)
      .whereIn('fingerprint', fingerprints)
      .orderBy('fingerprint');
    return rows.map(r => ({
      fingerprint: r.fingerprint,
      keyId: r.key_id,
      userRef: r.user_ref,
    }));
  }

  async claim(
    tx: Knex.Transaction,
    keyId: string,
    userRef: string,
    fingerprints: string[],
  ): Promise<void> {
    await tx<FingerprintRow>(TABLE).insert(
      fingerprints.map(fingerprint => ({
        fingerprint,
        key_id: keyId,
        user_ref: userRef,
      })),
    );
  }

  async release(tx: Knex.Transaction, keyId: string): Promise<void> {
    await tx<FingerprintRow>(TABLE).where({ key_id: keyId }).delete();
  }
}
