import { Knex } from 'knex';

const KEYS = 'evidence_signing_keys';

export interface StoredSigningKey {
  userRef: string;
  fingerprint: string;
  armoredKey: string;
  createdAt: string;
  updatedAt: string;
}

function toKey(row: any): StoredSigningKey {
  return {
    userRef: row.user_ref,
    fingerprint: row.fingerprint,
    armoredKey: row.armored_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The OpenPGP key each user registered for signing manifests (one per user). */
export class SigningKeyStore {
  constructor(private readonly db: Knex) {}

  async find(userRef: string): Promise<StoredSigningKey | undefined> {
    const row = await this.db(KEYS).where({ user_ref: userRef }).first();
    return row ? toKey(row) : undefined;
  }

  async all(): Promise<StoredSigningKey[]> {
    return (await this.db(KEYS).orderBy('user_ref')).map(toKey);
  }

  async upsert(
    key: Omit<StoredSigningKey, 'createdAt' | 'updatedAt'>,
    now: string,
  ): Promise<StoredSigningKey> {
    const previous = await this.find(key.userRef);
    await this.db(KEYS)
      .insert({
        user_ref: key.userRef,
        fingerprint: key.fingerprint,
        armored_key: key.armoredKey,
        created_at: previous?.createdAt ?? now,
        updated_at: now,
      })
      .onConflict('user_ref')
      .merge(['fingerprint', 'armored_key', 'updated_at']);
    return (await this.find(key.userRef))!;
  }
}
