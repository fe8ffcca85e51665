import { InputError } from '@backstage/errors';
import { checkSigningKey } from '@internal/plugin-fabric-node';
import * as openpgp from 'openpgp';

/** A key as the registry stores it. */
export interface ParsedKey {
  fingerprint: string;
  /** Primary and subkey fingerprints, upper-case hex. */
  fingerprints: string[];
  /** Re-armored from the parsed key: exactly one key, whatever else the paste held. */
  armoredKey: string;
  key: openpgp.PublicKey;
}

const upper = (fpr: string) => fpr.toUpperCase();

/** Fingerprints of a key and its subkeys. */
export function fingerprintsOf(key: openpgp.Key): string[] {
  return [
    upper(key.getFingerprint()),
    ...key.getSubkeys().map(sub => upper(sub.getFingerprint())),
  ];
}

/**
 * Reads the public key a user registers: exactly one key (a block with several would let one
 * registration vouch for somebody else's key), public, valid now and able to sign.
 */
export async function readRegistrationKey(
  armoredKey: string,
  now: Date,
): Promise<ParsedKey> {
  let keys: openpgp.Key[];
  try {
    keys = await openpgp.readKeys({ armoredKeys: armoredKey });
  } catch (error) {
    throw new InputError(
      `publicKey is not a readable OpenPGP key (${
        (error as Error).message
      }); paste the output of gpg --armor --export <key id>`,
    );
  }
  if (keys.length !== 1) {
    throw new InputError(
      `publicKey holds ${keys.length} keys; register exactly one: gpg --armor --export <key id>`,
    );
  }
  await checkSigningKey(armoredKey, now);
  const key = keys[0] as openpgp.PublicKey;
  return {
    fingerprint: upper(key.getFingerprint()),
    fingerprints: fingerprintsOf(key),
    armoredKey: key.armor(),
    key,
  };
}

/**
 * True when `armoredSignature` holds a detached signature over exactly `text` (UTF-8) made by
 * `key` or one of its subkeys; otherwise an InputError that says what is wrong.
 */
export async function assertSignedBy(options: {
  key: openpgp.PublicKey;
  text: string;
  armoredSignature: string;
  now: Date;
}): Promise<void> {
  let signature: openpgp.Signature;
  try {
    signature = await openpgp.readSignature({
      armoredSignature: options.armoredSignature,
    });
  } catch (error) {
    throw new InputError(
      `signature is not an armored OpenPGP signature (${
        (error as Error).message
      }); sign the challenge with gpg --armor --detach-sign`,
    );
  }
  const ours = options.key.getKeyIDs();
  const signers = signature.getSigningKeyIDs();
  if (!signers.some(id => ours.some(own => own.equals(id)))) {
    throw new InputError(
      `signature was made by key ${signers
        .map(id => id.toHex().toUpperCase())
        .join(', ')}, not by the key being registered (${upper(
        options.key.getFingerprint(),
      )}); sign the challenge with the key you register (gpg --local-user <its fingerprint>)`,
    );
  }
  const result = await openpgp.verify({
    message: await openpgp.createMessage({
      binary: new TextEncoder().encode(options.text),
    }),
    signature,
    verificationKeys: [options.key],
    expectSigned: false,
    date: options.now,
  });
  for (const sig of result.signatures) {
    try {
      if (await sig.verified) return;
    } catch {
      // Try the next signature packet, if any.
    }
  }
  throw new InputError(
    "signature does not verify over the challenge text; sign its exact text (printf '%s' '<challenge>' | gpg --armor --detach-sign, no added newline) with the key you register",
  );
}
