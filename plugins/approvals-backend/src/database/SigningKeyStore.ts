import { SigningKeyInfo } from '@internal/plugin-approvals-common';
import { Knex } from 'knex';

const TABLE = 'approvals_signing_keys';

interface SigningKeyRow {
  user_ref: string;
  fingerprint: string;
  armored_key: string;
  created_at: string;
  updated_at: string;
}

export interface StoredSigningKey extends SigningKeyInfo {
  armoredKey: string;
}

function fromRow(row: SigningKeyRow): StoredSigningKey {
  return {
    userRef: row.user_ref,
    fingerprint: row.fingerprint,
    armoredKey: row.armored_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The `approvals_signing_keys` table: one registered public key per user. */
export class SigningKeyStore {
  constructor(private readonly db: Knex) {}

  async find(
    userRef: string,
    tx?: Knex.Transaction,
  ): Promise<StoredSigningKey | undefined> {
    const row = await (tx ?? this.db)<SigningKeyRow>(TABLE)
      .where({ user_ref: userRef })
      .first();
    return row ? fromRow(row) : undefined;
  }

  /** Registers or replaces the user's key; keeps the first registration time. */
  async upsert(
    tx: Knex.Transaction,
    key: { userRef: string; fingerprint: string; armoredKey: string },
    now: string,
  ): Promise<StoredSigningKey> {
    const existing = await this.find(key.userRef, tx);
    const row: SigningKeyRow = {
      user_ref: key.userRef,
      fingerprint: key.fingerprint,
      armored_key: key.armoredKey,
      created_at: existing?.createdAt ?? now,
      updated_at: now,
    };
    if (existing) {
      await tx<SigningKeyRow>(TABLE)
        .where({ user_ref: key.userRef })
        .update(row);
    } else {
      await tx<SigningKeyRow>(TABLE).insert(row);
    }
    return fromRow(row);
  }
}
