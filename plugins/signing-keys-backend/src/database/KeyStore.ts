import {
  SigningKeyInfo,
  SigningKeyStatus,
} from '@internal/plugin-fabric-common';
import { Knex } from 'knex';

const TABLE = 'signing_keys';

interface KeyRow {
  id: string;
  user_ref: string;
  fingerprint: string;
  fingerprints: string;
  armored_key: string;
  status: string;
  status_message: string | null;
  legacy_source: string | null;
  legacy_key: string | null;
  created_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

/** A row of `signing_keys` with its public key. */
export interface StoredKey extends SigningKeyInfo {
  armoredKey: string;
}

function fromRow(row: KeyRow): StoredKey {
  return {
    id: row.id,
    userRef: row.user_ref,
    fingerprint: row.fingerprint,
    fingerprints: JSON.parse(row.fingerprints),
    armoredKey: row.armored_key,
    status: row.status as SigningKeyStatus,
    statusMessage: row.status_message ?? undefined,
    legacySource: row.legacy_source ?? undefined,
    createdAt: row.created_at,
    revokedAt: row.revoked_at ?? undefined,
    revokedBy: row.revoked_by ?? undefined,
    revokeReason: row.revoke_reason ?? undefined,
  };
}

/** What a key without the secret-free armored material shows to users. */
export function toInfo(key: StoredKey): SigningKeyInfo {
  const { armoredKey: _armored, ...info } = key;
  return info;
}

/** The `signing_keys` table: every key ever registered or imported, with its status. */
export class KeyStore {
  constructor(private readonly db: Knex) {}

  async insert(
    tx: Knex.Transaction,
    key: Omit<StoredKey, 'revokedAt' | 'revokedBy' | 'revokeReason'>,
    legacyKey?: string,
  ): Promise<boolean> {
    const query = tx<KeyRow>(TABLE).insert({
      id: key.id,
      user_ref: key.userRef,
      fingerprint: key.fingerprint,
      fingerprints: JSON.stringify(key.fingerprints),
      armored_key: key.armoredKey,
      status: key.status,
      status_message: key.statusMessage ?? null,
      legacy_source: key.legacySource ?? null,
      legacy_key: legacyKey ?? null,
      created_at: key.createdAt,
    });
    if (!legacyKey) {
      await query;
      return true;
    }
    // A second import of the same legacy row (or a racing replica) adds nothing.
    const inserted = await query
      .onConflict('legacy_key')
      .ignore()
      .returning('id');
    return inserted.length > 0;
  }

  async listForUser(
    userRef: string,
    tx?: Knex.Transaction,
  ): Promise<StoredKey[]> {
    const rows = await (tx ?? this.db)<KeyRow>(TABLE)
      .where({ user_ref: userRef })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(fromRow);
  }

  async listByStatus(
    statuses: SigningKeyStatus[],
    tx?: Knex.Transaction,
  ): Promise<StoredKey[]> {
    const rows = await (tx ?? this.db)<KeyRow>(TABLE)
      .whereIn('status', statuses)
      .orderBy([
        { column: 'user_ref', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(fromRow);
  }

  async setStatus(
    tx: Knex.Transaction,
    id: string,
    status: SigningKeyStatus,
    statusMessage: string | null,
  ): Promise<void> {
    await tx<KeyRow>(TABLE)
      .where({ id })
      .update({ status, status_message: statusMessage });
  }

  async markRevoked(
    tx: Knex.Transaction,
    id: string,
    revocation: { at: string; by: string; reason: string },
  ): Promise<void> {
    await tx<KeyRow>(TABLE).where({ id }).update({
      status: 'revoked',
      status_message: null,
      revoked_at: revocation.at,
      revoked_by: revocation.by,
      revoke_reason: revocation.reason,
    });
  }
}
