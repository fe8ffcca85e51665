import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A throw-away GnuPG home with keys made by the real `gpg` binary. */
export class GpgHome {
  readonly dir: string;

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-gpg-'));
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

  /** Generates a signing key for `uid` (`Name <email>`); returns its armored public key. */
  generateKey(uid: string): string {
    this.gpg(['--quick-gen-key', uid, 'ed25519', 'sign', 'never']);
    return this.gpg(['--armor', '--export', uid]);
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

/** Files of a typical acceptance packet (redacted, no secrets). */
export function acceptanceFiles(
  title = 'project-birds substrate acceptance',
): Record<string, string> {
  return {
    'summary.md': `# ${title}\n\nResult: **PASS**. Two steps ran; both exited 0.\n`,
    'packet.json': JSON.stringify({ title, result: 'PASS' }),
    'steps/01-plan/stdout.log':
      'planning substrate consumers\nplan: 0 to add, 0 to change\n',
    'steps/01-plan/stderr.log': '',
    'steps/01-plan/exit_code': '0\n',
    'steps/02-verify/stdout.log':
      'postgres-birds.infra.samakia.net:5432 reachable\nrabbitmq reachable\nOK\n',
    'steps/02-verify/stderr.log': '',
    'steps/02-verify/exit_code': '0\n',
  };
}

/**
 * Writes `files` into `dir` and, unless told otherwise, a `manifest.sha256`
 * made by the real `sha256sum` over every file (run inside the packet, as the
 * organisation's scripts do).
 */
export function writePacket(
  dir: string,
  files: Record<string, string>,
  options: { manifest?: boolean } = {},
): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  if (options.manifest !== false) {
    const names = Object.keys(files).sort();
    const sums = execFileSync('sha256sum', ['--', ...names], {
      cwd: dir,
      encoding: 'utf8',
    });
    fs.writeFileSync(path.join(dir, 'manifest.sha256'), sums);
  }
  return dir;
}

/** `tar -czf` of a folder's content (entries `./...`), as CI would upload it. */
export function tarGz(dir: string, out: string): string {
  execFileSync('tar', ['-czf', out, '-C', dir, '.']);
  return out;
}
