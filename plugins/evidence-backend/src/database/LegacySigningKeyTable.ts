import { LegacySigningKey } from '@internal/plugin-fabric-node';
import { Knex } from 'knex';

const TABLE = 'evidence_signing_keys';

/**
 * The old `evidence_signing_keys` table (keys registered without proof of possession). It is
 * only read, at start, to import its rows into the signing-key registry as flagged keys; no
 * key of it verifies anything.
 */
export class LegacySigningKeyTable {
  constructor(private readonly db: Knex) {}

  async all(): Promise<LegacySigningKey[]> {
    const rows = await this.db(TABLE).orderBy('user_ref');
    return rows.map(row => ({
      userRef: row.user_ref,
      fingerprint: row.fingerprint,
      armoredKey: row.armored_key,
      createdAt: row.created_at,
    }));
  }
}
