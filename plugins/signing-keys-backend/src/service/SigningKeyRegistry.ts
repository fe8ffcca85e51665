import { randomBytes, randomUUID } from 'node:crypto';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  SigningKeyAuditRecord,
  SigningKeyChallenge,
  SigningKeyChallengePurpose,
  SigningKeyInfo,
  SigningKeyRegistration,
  SigningKeyStatus,
} from '@internal/plugin-fabric-common';
import {
  ActiveSigningKey,
  LegacySigningKey,
  SigningKeysService,
} from '@internal/plugin-fabric-node';
import { Knex } from 'knex';
import { AuditStore } from '../database/AuditStore';
import { ChallengeStore } from '../database/ChallengeStore';
import { FingerprintStore } from '../database/FingerprintStore';
import { KeyStore, StoredKey, toInfo } from '../database/KeyStore';
import { importLegacyKeys } from './legacyImport';
import { assertSignedBy, readRegistrationKey } from './openpgp';

/** How long a registration challenge can be answered. */
export const CHALLENGE_TTL_MS = 10 * 60 * 1000;

/** Statuses of a user's current key (the ones a new registration or a revocation ends). */
const CURRENT: SigningKeyStatus[] = ['active', 'unproven', 'conflict'];

export interface RegistryOptions {
  db: Knex;
  /** Time and randomness come in so tests can pin them. */
  now?: () => Date;
  ids?: () => string;
  nonce?: () => string;
}

/** True for a unique-constraint violation on PostgreSQL or SQLite. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

/** The signing-key registry over its own database (see SigningKeysService). */
export class SigningKeyRegistry implements SigningKeysService {
  readonly keys: KeyStore;
  private readonly fingerprints: FingerprintStore;
  private readonly challenges: ChallengeStore;
  private readonly auditStore: AuditStore;
  private readonly now: () => Date;
  private readonly ids: () => string;
  private readonly nonce: () => string;

  constructor(private readonly options: RegistryOptions) {
    this.keys = new KeyStore(options.db);
    this.fingerprints = new FingerprintStore(options.db);
    this.challenges = new ChallengeStore(options.db);
    this.auditStore = new AuditStore(options.db);
    this.now = options.now ?? (() => new Date());
    this.ids = options.ids ?? randomUUID;
    this.nonce = options.nonce ?? (() => randomBytes(24).toString('base64url'));
  }

  async createChallenge(
    userRef: string,
    purpose: SigningKeyChallengePurpose = 'register',
  ): Promise<SigningKeyChallenge> {
    const now = this.now();
    const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS).toISOString();
    // Bound to the user and the purpose, and unpredictable: a signature over it proves that
    // whoever asked holds the key now, and is worth nothing for anyone or anything else.
    // No quote or newline, so the panel's printf command signs these exact bytes.
    const text = `Fabric Portal signing key ${purpose}: user=${userRef} nonce=${this.nonce()} expires=${expiresAt}`;
    const challenge: SigningKeyChallenge = {
      id: this.ids(),
      userRef,
      purpose,
      text,
      createdAt: now.toISOString(),
      expiresAt,
    };
    await this.challenges.deleteExpired(now.toISOString());
    await this.challenges.insert(challenge);
    return challenge;
  }

  async register(
    userRef: string,
    registration: SigningKeyRegistration,
  ): Promise<SigningKeyInfo> {
    const nowDate = this.now();
    const now = nowDate.toISOString();
    const parsed = await readRegistrationKey(registration.publicKey, nowDate);
    const challenge = await this.challenges.find(registration.challengeId);
    if (!challenge) {
      throw new InputError(
        `challengeId ${registration.challengeId} names no challenge; request one with POST /api/signing-keys/challenges`,
      );
    }
    if (challenge.userRef !== userRef) {
      await this.refused(
        userRef,
        parsed.fingerprint,
        'challenge of another user',
      );
      throw new NotAllowedError(
        `challengeId ${challenge.id} was issued to another user; request your own with POST /api/signing-keys/challenges`,
      );
    }
    if (challenge.purpose !== 'register') {
      throw new InputError(
        `challengeId ${challenge.id} is for ${challenge.purpose}, not for registering a key`,
      );
    }
    if (challenge.usedAt) {
      throw new ConflictError(
        `challengeId ${challenge.id} was already used; request a new challenge`,
      );
    }
    if (challenge.expiresAt <= now) {
      throw new InputError(
        `challengeId ${challenge.id} expired at ${challenge.expiresAt}; request a new challenge and sign it within 10 minutes`,
      );
    }
    try {
      await assertSignedBy({
        key: parsed.key,
        text: challenge.text,
        armoredSignature: registration.signature,
        now: nowDate,
      });
    } catch (error) {
      await this.refused(userRef, parsed.fingerprint, (error as Error).message);
      throw error;
    }

    const claimedElsewhere = (
      await this.fingerprints.claimsOf(parsed.fingerprints)
    ).filter(c => c.userRef !== userRef);
    if (claimedElsewhere.length > 0) {
      await this.refused(
        userRef,
        parsed.fingerprint,
        'fingerprint owned by another user',
        {
          conflicts: claimedElsewhere,
        },
      );
      throw this.conflict(claimedElsewhere[0]);
    }

    const id = this.ids();
    try {
      return await this.options.db.transaction(async tx => {
        if (!(await this.challenges.consume(tx, challenge.id, now))) {
          throw new ConflictError(
            `challengeId ${challenge.id} was already used; request a new challenge`,
          );
        }
        const claims = (
          await this.fingerprints.claimsOf(parsed.fingerprints, tx)
        ).filter(c => c.userRef !== userRef);
        if (claims.length > 0) throw this.conflict(claims[0]);
        const previous = (await this.keys.listForUser(userRef, tx)).filter(k =>
          CURRENT.includes(k.status),
        );
        for (const old of previous) {
          await this.keys.markRevoked(tx, old.id, {
            at: now,
            by: userRef,
            reason: `replaced by ${parsed.fingerprint}`,
          });
          await this.fingerprints.release(tx, old.id);
        }
        const key: StoredKey = {
          id,
          userRef,
          fingerprint: parsed.fingerprint,
          fingerprints: parsed.fingerprints,
          armoredKey: parsed.armoredKey,
          status: 'active',
          createdAt: now,
        };
        await this.keys.insert(tx, key);
        await this.fingerprints.claim(tx, id, userRef, parsed.fingerprints);
        await this.auditStore.append(tx, {
          id: this.ids(),
          at: now,
          action: previous.length > 0 ? 'replaced' : 'registered',
          actor: userRef,
          userRef,
          keyId: id,
          fingerprint: parsed.fingerprint,
          details: {
            fingerprints: parsed.fingerprints,
            challengeId: challenge.id,
            replaced: previous.map(p => ({
              keyId: p.id,
              fingerprint: p.fingerprint,
              status: p.status,
            })),
          },
        });
        return toInfo(key);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        // Another request claimed a fingerprint (or registered this user's key) meanwhile.
        throw new ConflictError(
          `key ${parsed.fingerprint} was registered concurrently by another request; reload and try again`,
        );
      }
      throw error;
    }
  }

  async listFor(userRef: string): Promise<SigningKeyInfo[]> {
    return (await this.keys.listForUser(userRef)).map(toInfo);
  }

  async revoke(
    actor: string,
    userRef: string,
    reason?: string,
  ): Promise<SigningKeyInfo[]> {
    const now = this.now().toISOString();
    return this.options.db.transaction(async tx => {
      const current = (await this.keys.listForUser(userRef, tx)).filter(k =>
        CURRENT.includes(k.status),
      );
      if (current.length === 0) {
        throw new NotFoundError(`${userRef} has no key to revoke`);
      }
      const why =
        reason ??
        (actor === userRef ? 'revoked by its owner' : `revoked by ${actor}`);
      for (const key of current) {
        await this.keys.markRevoked(tx, key.id, {
          at: now,
          by: actor,
          reason: why,
        });
        await this.fingerprints.release(tx, key.id);
        await this.auditStore.append(tx, {
          id: this.ids(),
          at: now,
          action: 'revoked',
          actor,
          userRef,
          keyId: key.id,
          fingerprint: key.fingerprint,
          details: { reason: why, previousStatus: key.status },
        });
      }
      return (await this.keys.listForUser(userRef, tx)).map(toInfo);
    });
  }

  async activeKeysOf(userRef: string): Promise<ActiveSigningKey[]> {
    return (await this.keys.listForUser(userRef))
      .filter(k => k.status === 'active')
      .map(active);
  }

  async activeKeys(): Promise<ActiveSigningKey[]> {
    return (await this.keys.listByStatus(['active'])).map(active);
  }

  async importLegacy(
    source: string,
    rows: LegacySigningKey[],
  ): Promise<{ imported: number; skipped: number }> {
    return this.options.db.transaction(tx =>
      importLegacyKeys(tx, {
        source,
        rows,
        now: this.now().toISOString(),
        ids: this.ids,
        keys: this.keys,
        fingerprints: this.fingerprints,
        audit: this.auditStore,
      }),
    );
  }

  async audit(options?: {
    userRef?: string;
    limit?: number;
  }): Promise<SigningKeyAuditRecord[]> {
    return this.auditStore.list(options ?? {});
  }

  private conflict(claim: { fingerprint: string; userRef: string }) {
    return new ConflictError(
      `key fingerprint ${claim.fingerprint} is registered to ${claim.userRef}; a key (or subkey) belongs to one user only. Register a key of your own`,
    );
  }

  /** Refused registrations are audited outside any transaction, so the record stays. */
  private async refused(
    userRef: string,
    fingerprint: string,
    why: string,
    details: Record<string, unknown> = {},
  ) {
    await this.auditStore.append(this.options.db, {
      id: this.ids(),
      at: this.now().toISOString(),
      action: 'registration-refused',
      actor: userRef,
      userRef,
      fingerprint,
      details: { why, ...details },
    });
  }
}

function active(key: StoredKey): ActiveSigningKey {
  return {
    id: key.id,
    userRef: key.userRef,
    fingerprint: key.fingerprint,
    fingerprints: key.fingerprints,
    armoredKey: key.armoredKey,
  };
}
