import { InputError } from '@backstage/errors';
import * as openpgp from 'openpgp';

/** Checks a key a user registers (approval and evidence signing keys alike): readable, public, not revoked or expired, able to sign. */
export async function checkSigningKey(
  armoredKey: string,
  now: Date,
): Promise<string> {
  let key: openpgp.Key;
  try {
    key = await openpgp.readKey({ armoredKey });
  } catch (error) {
    throw new InputError(
      `publicKey is not a readable OpenPGP key (${
        (error as Error).message
      }); paste the output of gpg --armor --export <key id>`,
    );
  }
  if (key.isPrivate()) {
    throw new InputError(
      'publicKey holds a private key; never upload it. Paste only the public part: gpg --armor --export <key id>',
    );
  }
  try {
    await key.verifyPrimaryKey(now);
  } catch (error) {
    throw new InputError(
      `publicKey cannot be used: ${
        (error as Error).message
      }; register a key that is neither revoked nor expired`,
    );
  }
  try {
    await key.getSigningKey(undefined, now);
  } catch {
    throw new InputError(
      'publicKey has no key usable for signing; register a key with the sign capability',
    );
  }
  return key.getFingerprint();
}

/**
 * Verifies an armored detached OpenPGP signature over `text` (UTF-8) with any of the given
 * armored public keys. Returns the upper-case fingerprint of the key that made it, or
 * undefined when the signature is unreadable or made by none of those keys.
 */
export async function verifyDetachedSignature(options: {
  armoredKeys: string[];
  text: string;
  armoredSignature: string;
}): Promise<string | undefined> {
  if (options.armoredKeys.length === 0) return undefined;
  let signature: openpgp.Signature;
  try {
    signature = await openpgp.readSignature({
      armoredSignature: options.armoredSignature,
    });
  } catch {
    return undefined;
  }
  const keys: openpgp.PublicKey[] = [];
  for (const armoredKey of options.armoredKeys) {
    keys.push(await openpgp.readKey({ armoredKey }));
  }
  const result = await openpgp.verify({
    message: await openpgp.createMessage({
      binary: new TextEncoder().encode(options.text),
    }),
    signature,
    verificationKeys: keys,
    expectSigned: false,
  });
  for (const sig of result.signatures) {
    try {
      await sig.verified;
      const key = keys.find(k =>
        k.getKeyIDs().some(id => id.equals(sig.keyID)),
      );
      return (key?.getFingerprint() ?? sig.keyID.toHex()).toUpperCase();
    } catch {
      // try the next signature packet
    }
  }
  return undefined;
}
