import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A throw-away GnuPG home with keys made by the real `gpg` binary: tests of signatures use
 * what operators' tools produce, never hand-made packets.
 */
export class GpgHome {
  readonly dir: string;

  /** A fresh home `<tmp>/<prefix>XXXXXX`; or, with `dir`, that folder (made if missing, kept). */
  constructor(prefix = 'fabric-gpg-', dir?: string) {
    if (dir) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.dir = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.chmodSync(this.dir, 0o700);
  }

  gpg(args: string[], input?: string): string {
    return execFileSync(
      'gpg',
      [
        '--batch',
        '--homedir',
        this.dir,
        '--pinentry-mode',
        'loopback',
        '--passphrase',
        '',
        ...args,
      ],
      { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] },
    );
  }

  /**
   * Generates an ed25519 signing key for `uid` (`Name <email>`, or a bare email that becomes
   * `Test <email>`); returns its armored public key.
   */
  generateKey(uid: string): string {
    const fullUid = uid.includes('<') ? uid : `Test <${uid}>`;
    this.gpg(['--quick-gen-key', fullUid, 'ed25519', 'sign', 'never']);
    return this.gpg(['--armor', '--export', fullUid]);
  }

  /** Adds an ed25519 signing subkey to the key of `uid`; returns the armored public key. */
  addSigningSubkey(uid: string): string {
    this.gpg([
      '--quick-add-key',
      this.fingerprint(uid),
      'ed25519',
      'sign',
      'never',
    ]);
    return this.gpg(['--armor', '--export', uid]);
  }

  /** Runs a shell command (e.g. the gpg command a page shows) with this home as GNUPGHOME. */
  shell(command: string): string {
    return execFileSync('bash', ['-c', command], {
      encoding: 'utf8',
      env: { ...process.env, GNUPGHOME: this.dir },
    });
  }

  /** The primary fingerprint of `uid`'s key, then its subkeys' (upper-case hex). */
  fingerprints(uid: string): string[] {
    return this.gpg(['--with-colons', '--fingerprint', '--list-keys', uid])
      .split('\n')
      .filter(line => line.startsWith('fpr:'))
      .map(line => line.split(':')[9]);
  }

  /** The primary fingerprint of `uid`'s key. */
  fingerprint(uid: string): string {
    return this.fingerprints(uid)[0];
  }

  /** The armored secret key of `user` (to show it is refused). */
  exportSecretKey(user: string): string {
    return this.gpg(['--armor', '--export-secret-keys', user]);
  }

  /** Armored detached signature over `text` by the key of `user`. */
  sign(user: string, text: string): string {
    return this.gpg(['--local-user', user, '--detach-sign', '--armor'], text);
  }

  /** Writes an armored detached signature of `file` by the given keys (one or more) to `out`. */
  detachSign(file: string, out: string, ...users: string[]): void {
    this.gpg([
      ...users.flatMap(u => ['--local-user', u]),
      '--armor',
      '--detach-sign',
      '--output',
      out,
      file,
    ]);
  }

  dispose(): void {
    try {
      execFileSync('gpgconf', ['--homedir', this.dir, '--kill', 'gpg-agent']);
    } catch {
      // The agent may not be running.
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
