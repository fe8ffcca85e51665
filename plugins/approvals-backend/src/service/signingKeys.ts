import { randomUUID } from 'node:crypto';
import { NotFoundError } from '@backstage/errors';
import { SigningKeyInfo } from '@internal/plugin-approvals-common';
import { Knex } from 'knex';
import { checkSigningKey } from '@internal/plugin-fabric-node';
import { AuditStore } from '../database/AuditStore';
import { SigningKeyStore, StoredSigningKey } from '../database/SigningKeyStore';
import { toIso } from '../database/time';
import { Actor, Clock, systemClock } from './actors';
import { KeyRegistry } from './signatures';

function info(key: StoredSigningKey): SigningKeyInfo {
  return {
    userRef: key.userRef,
    fingerprint: key.fingerprint,
    createdAt: key.createdAt,
    updatedAt: key.updatedAt,
  };
}

/**
 * Users register the OpenPGP key they sign production approvals with. The
 * key is checked (public, usable for signing, not revoked or expired) and
 * its registration is an audit record in the same transaction.
 */
export class SigningKeyService implements KeyRegistry {
  private readonly store: SigningKeyStore;
  private readonly audit: AuditStore;

  constructor(
    private readonly db: Knex,
    /** Keys from configuration, accepted next to the registered one. */
    private readonly configured: KeyRegistry,
    private readonly clock: Clock = systemClock,
  ) {
    this.store = new SigningKeyStore(db);
    this.audit = new AuditStore(db);
  }

  async get(userRef: string): Promise<SigningKeyInfo> {
    const key = await this.store.find(userRef);
    if (!key) {
      throw new NotFoundError(
        `${userRef} has no registered signing key; register one with PUT /keys/me`,
      );
    }
    return info(key);
  }

  async getPublicKeys(userRef: string): Promise<string[]> {
    const stored = await this.store.find(userRef);
    return [
      ...(await this.configured.getPublicKeys(userRef)),
      ...(stored ? [stored.armoredKey] : []),
    ];
  }

  async register(actor: Actor, armoredKey: string): Promise<SigningKeyInfo> {
    const fingerprint = await checkSigningKey(armoredKey, this.clock.now());
    const now = toIso(this.clock.now());
    return this.db.transaction(async tx => {
      const previous = await this.store.find(actor.userRef, tx);
      const stored = await this.store.upsert(
        tx,
        { userRef: actor.userRef, fingerprint, armoredKey },
        now,
      );
      await this.audit.append(tx, {
        id: randomUUID(),
        action: previous ? 'signing-key-replaced' : 'signing-key-registered',
        actor: actor.userRef,
        at: now,
        details: {
          fingerprint,
          previousFingerprint: previous?.fingerprint ?? null,
        },
      });
      return info(stored);
    });
  }
}
