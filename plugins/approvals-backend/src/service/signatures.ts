import { SigningKeysService } from '@internal/plugin-fabric-node';
import * as openpgp from 'openpgp';

/** Armored OpenPGP public keys registered to catalog users. */
export interface KeyRegistry {
  /** The armored public keys of a user (entity ref); empty when none. */
  getPublicKeys(userRef: string): Promise<string[]>;
}

/**
 * The signing-key registry as the verifier needs it: a user's ACTIVE keys only, each owned by
 * the user who proved possession of it. Flagged, revoked and other users' keys never count.
 */
export function registryKeys(registry: SigningKeysService): KeyRegistry {
  return {
    async getPublicKeys(userRef) {
      const keys = await registry.activeKeysOf(
        userRef.toLocaleLowerCase('en-US'),
      );
      return keys.map(k => k.armoredKey);
    },
  };
}

export type SignatureCheck =
  | { valid: true; fingerprint: string }
  | { valid: false; message: string };

/** Verifies detached signatures over a proposal digest. */
export interface SignatureVerifier {
  verify(options: {
    userRef: string;
    /** The signed text: the proposal digest in lower-case hex. */
    digest: string;
    armoredSignature: string;
  }): Promise<SignatureCheck>;
}

/**
 * Verifies an armored OpenPGP detached signature over the digest text with
 * the keys the registry holds for the user; any other key is refused.
 */
export class OpenPgpSignatureVerifier implements SignatureVerifier {
  constructor(private readonly keys: KeyRegistry) {}

  async verify(options: {
    userRef: string;
    digest: string;
    armoredSignature: string;
  }): Promise<SignatureCheck> {
    const armoredKeys = await this.keys.getPublicKeys(options.userRef);
    if (armoredKeys.length === 0) {
      return {
        valid: false,
        message: `${options.userRef} has no active signing key; register one with a signed challenge (Signing key panel, or /api/signing-keys)`,
      };
    }
    let signature: openpgp.Signature;
    try {
      signature = await openpgp.readSignature({
        armoredSignature: options.armoredSignature,
      });
    } catch (error) {
      return {
        valid: false,
        message: `the signature is not an armored OpenPGP signature (${
          (error as Error).message
        })`,
      };
    }
    const verificationKeys: openpgp.PublicKey[] = [];
    for (const armoredKey of armoredKeys) {
      verificationKeys.push(await openpgp.readKey({ armoredKey }));
    }
    const message = await openpgp.createMessage({
      binary: new TextEncoder().encode(options.digest),
    });
    const result = await openpgp.verify({
      message,
      signature,
      verificationKeys,
      expectSigned: false,
    });
    for (const sig of result.signatures) {
      try {
        await sig.verified;
        const key = verificationKeys.find(k =>
          k.getKeyIDs().some(id => id.equals(sig.keyID)),
        );
        return {
          valid: true,
          // Upper-case like the registry's, so decisions compare by fingerprint.
          fingerprint: (
            key?.getFingerprint() ?? sig.keyID.toHex()
          ).toUpperCase(),
        };
      } catch {
        // Try the next signature packet, if any.
      }
    }
    return {
      valid: false,
      message: `the signature does not verify against the keys registered to ${options.userRef} for digest ${options.digest}`,
    };
  }
}
