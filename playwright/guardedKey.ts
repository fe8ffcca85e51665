import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The gpg key that signs guarded-run packets in the end-to-end run: the backend the suite starts
 * gets it as `fabric.guardedActions.signingKey` (with this GNUPGHOME), and the rollback spec
 * registers its public part for an operator. Made once by the real gpg, kept between runs (the
 * config file is read by the runner and again by each worker, which must all see one key).
 */
export const GUARDED_KEY_UID = 'Oscar <oscar.operator@samakia.example>';

function gpg(home: string, args: string[], input?: string): string {
  return execFileSync(
    'gpg',
    [
      '--batch',
      '--homedir',
      home,
      '--pinentry-mode',
      'loopback',
      '--passphrase',
      '',
      ...args,
    ],
    { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] },
  );
}

function fingerprintOf(home: string): string | undefined {
  try {
    return gpg(home, [
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
  const home = path.join(
    os.tmpdir(),
    `fabric-e2e-guarded-gnupg-${process.getuid?.() ?? 0}`,
  );
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  let fingerprint = fingerprintOf(home);
  if (!fingerprint) {
    gpg(home, ['--quick-gen-key', GUARDED_KEY_UID, 'ed25519', 'sign', 'never']);
    fingerprint = fingerprintOf(home)!;
  }
  return {
    home,
    fingerprint,
    publicKey: () => gpg(home, ['--armor', '--export', GUARDED_KEY_UID]),
    sign: (text: string) =>
      gpg(
        home,
        ['--local-user', GUARDED_KEY_UID, '--armor', '--detach-sign'],
        text,
      ),
  };
}
