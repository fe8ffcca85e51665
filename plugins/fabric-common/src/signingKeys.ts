import { createPermission } from '@backstage/plugin-permission-common';
import { z } from 'zod';

/**
 * The ONE signing-key registry (plugin `signing-keys`, API under `/api/signing-keys`): the
 * OpenPGP keys users sign production approvals and evidence manifests with. Shared by the
 * backend (zod at the boundary) and the frontend (the Signing key panel validates the same way).
 */

/** Status of a registered key. Only `active` keys verify anything. */
export const SIGNING_KEY_STATUSES = [
  'active',
  'revoked',
  'unproven',
  'conflict',
] as const;
export type SigningKeyStatus = (typeof SIGNING_KEY_STATUSES)[number];

/** What a user may see of one of their keys (never anything secret). */
export interface SigningKeyInfo {
  id: string;
  userRef: string;
  /** Primary key fingerprint, upper-case hex. */
  fingerprint: string;
  /** Fingerprints of the primary key and every subkey. */
  fingerprints: string[];
  status: SigningKeyStatus;
  /** Why a key is flagged or revoked, and what to do about it. */
  statusMessage?: string;
  createdAt: string;
  revokedAt?: string;
  revokedBy?: string;
  revokeReason?: string;
  /** Where a key imported from an older registry came from (e.g. `approvals`). */
  legacySource?: string;
}

/** A one-time challenge the user signs with the key they register (proof of possession). */
export interface SigningKeyChallenge {
  id: string;
  userRef: string;
  purpose: SigningKeyChallengePurpose;
  /** The exact text to sign: these bytes (UTF-8, no trailing newline) are verified. */
  text: string;
  createdAt: string;
  expiresAt: string;
}

export const SIGNING_KEY_CHALLENGE_PURPOSES = ['register'] as const;
export type SigningKeyChallengePurpose =
  (typeof SIGNING_KEY_CHALLENGE_PURPOSES)[number];

/** An audit record of the registry: registrations, replacements, revocations, flags. */
export interface SigningKeyAuditRecord {
  id: string;
  at: string;
  action:
    | 'registered'
    | 'replaced'
    | 'revoked'
    | 'flagged'
    | 'registration-refused';
  actor: string;
  userRef: string;
  keyId?: string;
  fingerprint?: string;
  details: Record<string, unknown>;
}

const ARMORED_PUBLIC_KEY = '-----BEGIN PGP PUBLIC KEY BLOCK-----';
const ARMORED_SIGNATURE = '-----BEGIN PGP SIGNATURE-----';

export const signingKeyChallengeRequestSchema = z.strictObject({
  purpose: z.enum(SIGNING_KEY_CHALLENGE_PURPOSES).default('register'),
});

/** `PUT /keys/me`: the public key and the proof that the caller holds its secret part. */
export const signingKeyRegistrationSchema = z.strictObject({
  publicKey: z
    .string({
      message:
        'publicKey is required: paste gpg --armor --export <your key id>',
    })
    .max(
      100_000,
      'publicKey is longer than 100000 characters; export only your key',
    )
    .refine(v => v.includes(ARMORED_PUBLIC_KEY), {
      message:
        'must be an armored OpenPGP public key (gpg --armor --export <your key id>)',
    }),
  challengeId: z.uuid({
    message:
      'must be the id of a challenge from POST /api/signing-keys/challenges',
  }),
  signature: z
    .string({
      message:
        'signature is required: sign the challenge text with gpg --armor --detach-sign',
    })
    .max(
      20_000,
      'signature is longer than 20000 characters; send one detached signature',
    )
    .refine(v => v.includes(ARMORED_SIGNATURE), {
      message:
        'must be an armored detached OpenPGP signature of the challenge text (gpg --armor --detach-sign)',
    }),
});
export type SigningKeyRegistration = z.infer<
  typeof signingKeyRegistrationSchema
>;

export const signingKeyRevocationSchema = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1, 'reason must not be blank; leave it out instead')
    .max(1000, 'reason is longer than 1000 characters')
    .optional(),
});
export type SigningKeyRevocation = z.infer<typeof signingKeyRevocationSchema>;

/** Register, replace or revoke one's own signing key. */
export const signingKeyManagePermission = createPermission({
  name: 'signingKeys.key.manage',
  attributes: { action: 'update' },
});

/** Revoke another user's key and read the whole registry audit (administrators). */
export const signingKeyAdministerPermission = createPermission({
  name: 'signingKeys.key.administer',
  attributes: { action: 'delete' },
});

export const signingKeysPermissions = [
  signingKeyManagePermission,
  signingKeyAdministerPermission,
];

/**
 * The shell command that signs a challenge's exact bytes: printf '%s' adds no newline, and
 * single quotes keep the shell from touching the text (challenges never hold a quote).
 */
export function challengeSignCommand(text: string, keyHint = '<your key id>') {
  return `printf '%s' '${text}' | gpg --armor --detach-sign --local-user ${keyHint}`;
}
