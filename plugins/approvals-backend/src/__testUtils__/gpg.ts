import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A throw-away GnuPG home with keys made by the real `gpg` binary. */
export class GpgHome {
  readonly dir: string;

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'approvals-gpg-'));
    fs.chmodSync(this.dir, 0o700);
  }

  private gpg(args: string[], input?: string): string {
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

  /** Generates a signing key for `email`; returns its armored public key. */
  generateKey(email: string): string {
    this.gpg([
      '--quick-gen-key',
      `Test <${email}>`,
      'ed25519',
      'sign',
      'never',
    ]);
    return this.gpg(['--armor', '--export', email]);
  }

  /** The armored secret key of `email` (to show it is refused). */
  exportSecretKey(email: string): string {
    return this.gpg(['--armor', '--export-secret-keys', email]);
  }

  /** Armored detached signature over `text` by the key of `email`. */
  sign(email: string, text: string): string {
    return this.gpg(['--local-user', email, '--detach-sign', '--armor'], text);
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
