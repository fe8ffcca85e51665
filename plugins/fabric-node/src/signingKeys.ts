import { createServiceRef } from '@backstage/backend-plugin-api';
import type {
  SigningKeyAuditRecord,
  SigningKeyChallenge,
  SigningKeyChallengePurpose,
  SigningKeyInfo,
  SigningKeyRegistration,
} from '@internal/plugin-fabric-common';

/** An active key as verifiers need it: who owns it and its public material. */
export interface ActiveSigningKey {
  id: string;
  userRef: string;
  fingerprint: string;
  fingerprints: string[];
  armoredKey: string;
}

/** A row of an older per-plugin key table, imported as flagged (never trusted as is). */
export interface LegacySigningKey {
  userRef: string;
  fingerprint: string;
  armoredKey: string;
  createdAt: string;
}

/**
 * The ONE signing-key registry: approvals and evidence trust exactly the active keys it holds,
 * each owned by one user who proved possession of its secret part.
 *
 * Implemented by `@internal/plugin-signing-keys-backend` (add its `signingKeysServiceFactory`
 * to the backend); other plugins call it in-process through {@link signingKeysServiceRef}.
 */
export interface SigningKeysService {
  /** A fresh one-time challenge for `userRef` to sign with the key they register. */
  createChallenge(
    userRef: string,
    purpose?: SigningKeyChallengePurpose,
  ): Promise<SigningKeyChallenge>;
  /**
   * Registers (or replaces) `userRef`'s key after checking the signature over the challenge.
   * Throws InputError (bad key, bad proof), NotAllowedError (challenge not theirs, expired,
   * used) or ConflictError (a fingerprint belongs to another user).
   */
  register(
    userRef: string,
    registration: SigningKeyRegistration,
  ): Promise<SigningKeyInfo>;
  /** Every key of the user, newest first, with its status. */
  listFor(userRef: string): Promise<SigningKeyInfo[]>;
  /** Revokes the user's current keys (active or flagged); audited. */
  revoke(
    actor: string,
    userRef: string,
    reason?: string,
  ): Promise<SigningKeyInfo[]>;
  /** The active keys of one user (what their signatures verify with). */
  activeKeysOf(userRef: string): Promise<ActiveSigningKey[]>;
  /** Every active key (the evidence keyring). */
  activeKeys(): Promise<ActiveSigningKey[]>;
  /** Imports rows of an older registry as flagged keys; idempotent. */
  importLegacy(
    source: string,
    rows: LegacySigningKey[],
  ): Promise<{ imported: number; skipped: number }>;
  /** Audit records, newest first; of one user when `userRef` is given. */
  audit(options?: {
    userRef?: string;
    limit?: number;
  }): Promise<SigningKeyAuditRecord[]>;
}

export const signingKeysServiceRef = createServiceRef<SigningKeysService>({
  id: 'fabric.signing-keys',
  scope: 'root',
});
