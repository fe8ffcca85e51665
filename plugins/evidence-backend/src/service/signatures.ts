import { createHash } from 'node:crypto';
import type {
  KeySource,
  PacketSignature,
} from '@internal/plugin-evidence-common';
import * as openpgp from 'openpgp';

/** A public key and the catalog user or group it is registered to. */
export interface KeyringEntry {
  owner: string;
  source: KeySource;
  fingerprint: string;
  key: openpgp.PublicKey;
}

/** Armored key material before it is read. */
export interface ArmoredKey {
  owner: string;
  source: KeySource;
  armored: string;
}

/** Every key allowed to sign manifests, with who it belongs to. */
export class Keyring {
  constructor(readonly entries: KeyringEntry[]) {}

  /**
   * Reads armored keys (one block may hold several). Unreadable and private
   * keys are skipped and reported, so one bad annotation cannot stop every
   * verification.
   */
  static async fromArmored(
    keys: ArmoredKey[],
  ): Promise<{ keyring: Keyring; problems: string[] }> {
    const entries: KeyringEntry[] = [];
    const problems: string[] = [];
    for (const { owner, source, armored } of keys) {
      let read: openpgp.Key[];
      try {
        read = await openpgp.readKeys({ armoredKeys: armored });
      } catch (error) {
        problems.push(
          `${source} key of ${owner} is not a readable OpenPGP key (${
            (error as Error).message
          })`,
        );
        continue;
      }
      for (const key of read) {
        if (key.isPrivate()) {
          problems.push(
            `${source} key of ${owner} is a private key; it is ignored. Publish only gpg --armor --export`,
          );
          continue;
        }
        entries.push({
          owner: owner.toLocaleLowerCase('en-US'),
          source,
          fingerprint: key.getFingerprint(),
          key: key as openpgp.PublicKey,
        });
      }
    }
    return { keyring: new Keyring(entries), problems };
  }

  /** Changes whenever a key or its owner changes; stored with each verification. */
  get digest(): string {
    const lines = this.entries
      .map(e => `${e.owner} ${e.fingerprint} ${e.source}`)
      .sort();
    return createHash('sha256').update(lines.join('\n')).digest('hex');
  }

  byKeyId(keyId: openpgp.KeyID): KeyringEntry[] {
    return this.entries.filter(e =>
      e.key.getKeyIDs().some(id => id.equals(keyId)),
    );
  }
}

async function readSignature(bytes: Uint8Array): Promise<openpgp.Signature> {
  const head = new TextDecoder().decode(bytes.subarray(0, 64));
  if (head.includes('-----BEGIN PGP SIGNATURE-----')) {
    return openpgp.readSignature({
      armoredSignature: new TextDecoder().decode(bytes),
    });
  }
  return openpgp.readSignature({ binarySignature: bytes });
}

/**
 * Verifies the detached signatures of one signature file over the manifest's
 * exact bytes. A file may hold several signatures (`gpg -u A -u B`). Each is
 * `valid` (verifies with a registered key), `invalid` (a registered key id,
 * but the signature does not verify: forged, or over another manifest) or
 * `unknown-key` (nobody registered the key that made it).
 */
export async function verifySignatureFile(options: {
  file: string;
  signatureBytes: Uint8Array;
  manifestBytes: Uint8Array;
  keyring: Keyring;
}): Promise<PacketSignature[] | { unreadable: string }> {
  let signature: openpgp.Signature;
  try {
    signature = await readSignature(options.signatureBytes);
  } catch (error) {
    return {
      unreadable: `is not an OpenPGP signature (${(error as Error).message})`,
    };
  }
  const message = await openpgp.createMessage({
    binary: options.manifestBytes,
  });
  const keyIds = signature.getSigningKeyIDs();
  const candidates = keyIds.flatMap(id => options.keyring.byKeyId(id));
  const results: PacketSignature[] = [];
  const verification = await openpgp.verify({
    message,
    signature,
    verificationKeys: candidates.map(c => c.key),
    expectSigned: false,
  });
  for (const sig of verification.signatures) {
    const keyId = sig.keyID.toHex().toUpperCase();
    let signedAt: string | undefined;
    try {
      const created = (await sig.signature).packets[0]?.created;
      signedAt = created ? created.toISOString() : undefined;
    } catch {
      signedAt = undefined;
    }
    const owners = options.keyring.byKeyId(sig.keyID);
    if (owners.length === 0) {
      results.push({
        file: options.file,
        status: 'unknown-key',
        keyId,
        signedAt,
      });
      continue;
    }
    let valid = false;
    try {
      valid = (await sig.verified) === true;
    } catch {
      valid = false;
    }
    const owner = owners[0];
    results.push({
      file: options.file,
      status: valid ? 'valid' : 'invalid',
      keyId,
      signer: owner.owner,
      fingerprint: owner.fingerprint,
      keySource: owner.source,
      signedAt,
    });
  }
  return results;
}
