import { LegacySigningKey } from '@internal/plugin-fabric-node';
import { Knex } from 'knex';
import * as openpgp from 'openpgp';
import { AuditStore } from '../database/AuditStore';
import { FingerprintStore } from '../database/FingerprintStore';
import { KeyStore } from '../database/KeyStore';
import { fingerprintsOf } from './openpgp';

const unprovenMessage = (source: string) =>
  `Imported from the old ${source} key registry without proof of possession: it verifies nothing until you register it again here (Get challenge, sign it with the key, Register).`;

const conflictMessage = (source: string, others: string[]) =>
  `Imported from the old ${source} key registry, but ${others.join(
    ', ',
  )} registered the same key: it verifies nothing. Register the key you hold with a signed challenge; if this key is yours, tell an administrator.`;

/** Fingerprints of an old row's key; the stored fingerprint alone when the key is unreadable. */
async function fingerprintsOfRow(row: LegacySigningKey): Promise<string[]> {
  try {
    const keys = await openpgp.readKeys({ armoredKeys: row.armoredKey });
    const all = keys.flatMap(fingerprintsOf);
    if (all.length > 0) return [...new Set(all)];
  } catch {
    // fall through: flagged all the same, with what the old table recorded
  }
  return [row.fingerprint.toUpperCase()];
}

/**
 * Imports the rows of an older per-plugin key table as FLAGGED keys: `unproven` (nobody ever
 * proved possession) or `conflict` (another user holds or claimed the same fingerprint). They
 * verify nothing until their owner registers with a signed challenge. Idempotent: the
 * `legacy_key` (user and fingerprint) is unique, so a second start or another plugin's copy of
 * the same registration adds nothing.
 */
export async function importLegacyKeys(
  tx: Knex.Transaction,
  options: {
    source: string;
    rows: LegacySigningKey[];
    now: string;
    ids: () => string;
    keys: KeyStore;
    fingerprints: FingerprintStore;
    audit: AuditStore;
  },
): Promise<{ imported: number; skipped: number }> {
  const { source, keys, audit } = options;
  let imported = 0;
  let skipped = 0;
  for (const row of options.rows) {
    const userRef = row.userRef.toLocaleLowerCase('en-US');
    const fingerprints = await fingerprintsOfRow(row);
    const [fingerprint] = fingerprints;
    const own = await keys.listForUser(userRef, tx);
    if (own.some(k => k.status === 'active' && k.fingerprint === fingerprint)) {
      skipped++; // already proven by its owner
      continue;
    }
    const id = options.ids();
    const inserted = await keys.insert(
      tx,
      {
        id,
        userRef,
        fingerprint,
        fingerprints,
        armoredKey: row.armoredKey,
        status: 'unproven',
        statusMessage: unprovenMessage(source),
        legacySource: source,
        createdAt: row.createdAt || options.now,
      },
      `${userRef} ${fingerprint}`,
    );
    if (!inserted) {
      skipped++;
      continue;
    }
    imported++;
    await audit.append(tx, {
      id: options.ids(),
      at: options.now,
      action: 'flagged',
      actor: `plugin:${source}`,
      userRef,
      keyId: id,
      fingerprint,
      details: { status: 'unproven', source, fingerprints },
    });
  }
  await markConflicts(tx, options);
  return { imported, skipped };
}

/**
 * Flags as `conflict` every unproven key whose fingerprint another user holds (active) or
 * also claims (flagged): neither side proved anything, so neither is believed.
 */
async function markConflicts(
  tx: Knex.Transaction,
  options: {
    source: string;
    now: string;
    ids: () => string;
    keys: KeyStore;
    audit: AuditStore;
  },
) {
  const all = await options.keys.listByStatus(
    ['active', 'unproven', 'conflict'],
    tx,
  );
  for (const key of all.filter(k => k.status === 'unproven')) {
    const others = all.filter(
      o =>
        o.userRef !== key.userRef &&
        o.fingerprints.some(f => key.fingerprints.includes(f)),
    );
    if (others.length === 0) continue;
    const owners = [...new Set(others.map(o => o.userRef))];
    await options.keys.setStatus(
      tx,
      key.id,
      'conflict',
      conflictMessage(key.legacySource ?? options.source, owners),
    );
    key.status = 'conflict';
    await options.audit.append(tx, {
      id: options.ids(),
      at: options.now,
      action: 'flagged',
      actor: `plugin:${options.source}`,
      userRef: key.userRef,
      keyId: key.id,
      fingerprint: key.fingerprint,
      details: { status: 'conflict', with: owners },
    });
  }
}
