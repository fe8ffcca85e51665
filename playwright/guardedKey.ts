import os from 'node:os';
import path from 'node:path';
import { GpgHome } from '../packages/fabric-test-utils/src/gpg';

/**
 * The gpg key that signs guarded-run packets in the end-to-end run: the backend the suite starts
 * gets it as `fabric.guardedActions.signingKey` (with this GNUPGHOME), and the rollback spec
 * registers its public part for an operator. Made once by the real gpg, kept between runs (the
 * config file is read by the runner and again by each worker, which must all see one key).
 */
export const GUARDED_KEY_UID = 'Oscar <oscar.operator@samakia.example>';

function fingerprintOf(gpg: GpgHome): string | undefined {
  try {
    return gpg
      .gpg([
        '--with-colons',
        '--fingerprint',
        '--list-secret-keys',
        GUARDED_KEY_UID,
      ])
      .split('\n')
      .find(line => line.startsWith('fpr:'))
      ?.split(':')[9];
  } catch {
    return undefined;
  }
}

export function guardedKey() {
  const gpg = new GpgHome(
    undefined,
    path.join(
      os.tmpdir(),
      `fabric-e2e-guarded-gnupg-${process.getuid?.() ?? 0}`,
    ),
  );
  let fingerprint = fingerprintOf(gpg);
  if (!fingerprint) {
    gpg.generateKey(GUARDED_KEY_UID);
    fingerprint = fingerprintOf(gpg)!;
  }
  return {
    home: gpg.dir,
    fingerprint,
    publicKey: () => gpg.gpg(['--armor', '--export', GUARDED_KEY_UID]),
    sign: (text: string) => gpg.sign(GUARDED_KEY_UID, text),
  };
}
