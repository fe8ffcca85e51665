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
