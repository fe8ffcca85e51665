import { LegacySigningKey } from '@internal/plugin-fabric-node';
import { Knex } from 'knex';

const TABLE = 'approvals_signing_keys';

interface SigningKeyRow {
  user_ref: string;
  fingerprint: string;
  armored_key: string;
  created_at: string;
}

/**
 * The old `approvals_signing_keys` table (keys registered without proof of possession). It is
 * only read, at start, to import its rows into the signing-key registry as flagged keys; no
 * key of it verifies anything.
 */
export class LegacySigningKeyTable {
  constructor(private readonly db: Knex) {}

  async all(): Promise<LegacySigningKey[]> {
    const rows = await this.db<SigningKeyRow>(TABLE).orderBy('user_ref');
    return rows.map(row => ({
      userRef: row.user_ref,
      fingerprint: row.fingerprint,
      armoredKey: row.armored_key,
      createdAt: row.created_at,
    }));
  }
}
